// Shared helpers for the jira.js checks: read the sandbox URL and credentials from the environment,
// turn a failed call into {status, data}, and print one JSON document for the C# test to assert on.
export const env = {
  url: process.env.JIRA_URL,
  email: process.env.JIRA_EMAIL,
  token: process.env.JIRA_TOKEN,
  pat: process.env.JIRA_PAT,
};

if (!env.url) {
  throw new Error('JIRA_URL is required');
}

/** Runs a call and returns its result, or {error: {status, data}} when jira.js throws an HttpException. */
export async function attempt(call) {
  try {
    return await call();
  } catch (e) {
    return { error: { status: e.status ?? e.response?.status ?? null, data: e.response?.data ?? e.response ?? null, message: e.message } };
  }
}

export function print(result) {
  process.stdout.write(JSON.stringify(result));
}
