import React from 'react';
import { act, render, type RenderResult } from '@testing-library/react';
import { vi } from 'vitest';
import { SettingsContext, settingsFrom } from './components/AppContext';
import { REQUEST_TIMEOUT_MS } from './constants';

/** Renders a page with the app's settings; an hour's refresh keeps timers out of the way. */
export function renderPage(page: React.ReactElement, refreshSeconds = 3600): RenderResult {
  return render(
    <SettingsContext.Provider value={settingsFrom({ refreshSeconds })}>
      {page}
    </SettingsContext.Provider>,
  );
}

/** Moves fake time past the app's request deadline (the test must have called vi.useFakeTimers). */
export async function pastDeadline(): Promise<void> {
  await act(() => vi.advanceTimersByTimeAsync(REQUEST_TIMEOUT_MS + 1));
}
