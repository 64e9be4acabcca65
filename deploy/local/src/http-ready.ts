/** Whether `url` answers 200 within a second; never throws (not listening yet is a no). */
export async function answers200(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** POSTs to a server's `/-/reload`; throws with its answer when it refuses. */
export async function postReload(baseUrl: string, what: string): Promise<void> {
  const response = await fetch(`${baseUrl}/-/reload`, {
    method: 'POST',
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(`${what} refused to reload (${response.status}): ${text.trim()}`);
  }
}
