/**
 * The BNP Paribas CIB gateway page's sample token response (BNP Paribas CIB gateway), made valid JSON: the page's own
 * sample lacks its opening brace. Values the page elides ("...") are filled in.
 */
export const SEED_002_RESPONSE = Object.freeze({
  refresh_token_expires_in: '0',
  api_product_list: '[psd2-stet-v1]',
  api_product_list_json: ['psd2-stet-v1'],
  organization_name: 'bnpinternet',
  '': '...',
  token_type: 'BearerToken',
  issued_at: '1552409736000',
  client_id: 'consumer-key',
  access_token: '9tTeVWjNBcQ3DswGDqfVVAfTawSX',
  application_name: 'finauth-tests',
  scope: 'pisp piisp aisp extended_transaction_history',
  expires_in: '1799',
  refresh_count: '0',
  status: 'approved',
});
