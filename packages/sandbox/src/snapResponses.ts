/**
 * SNAP responseCode = HTTP status (3 digits) + service code (2) + case code (2); the B2B access
 * token is service 73. The cases the sandbox bank answers, with the standard's messages.
 */
export const SNAP_ACCESS_TOKEN_SERVICE = '73';

export interface SnapAnswer {
  status: number;
  body: { responseCode: string; responseMessage: string; [field: string]: unknown };
}

const answer = (status: number, caseCode: string, responseMessage: string, service = SNAP_ACCESS_TOKEN_SERVICE): SnapAnswer => ({
  status,
  body: { responseCode: `${status}${service}${caseCode}`, responseMessage },
});

export const snapAnswers = {
  /** 400xx00 Bad Request: the body is not JSON. */
  badRequest: (): SnapAnswer => answer(400, '00', 'Bad Request'),
  /** 400xx01 Invalid Field Format {field}. */
  invalidFieldFormat: (field: string): SnapAnswer => answer(400, '01', `Invalid Field Format ${field}`),
  /** 400xx02 Invalid Mandatory Field {field}. */
  invalidMandatoryField: (field: string): SnapAnswer => answer(400, '02', `Invalid Mandatory Field ${field}`),
  /** 401xx00 Unauthorized [reason]: unknown client, bad signature, timestamp out of window. */
  unauthorized: (reason: string): SnapAnswer => answer(401, '00', `Unauthorized. ${reason}`),
  /** 401xx01 Invalid Token (B2B): for resource calls. */
  invalidToken: (service: string): SnapAnswer => answer(401, '01', 'Invalid Token (B2B)', service),
  /** 429xx00 Too Many Requests. */
  tooManyRequests: (): SnapAnswer => answer(429, '00', 'Too Many Requests'),
  /** 500xx00 General Error. */
  generalError: (): SnapAnswer => answer(500, '00', 'General Error'),
  /** 504xx00 Timeout. */
  timeout: (): SnapAnswer => answer(504, '00', 'Timeout'),
  /** The body a status fault gets when the test gives none: the family's SNAP code. */
  forStatus: (status: number): SnapAnswer['body'] => ({ responseCode: `${status}${SNAP_ACCESS_TOKEN_SERVICE}00`, responseMessage: `sandbox injected HTTP ${status}` }),
} as const;
