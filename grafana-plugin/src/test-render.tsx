import React from 'react';
import { act, render, screen, type RenderResult } from '@testing-library/react';
import { expect, vi } from 'vitest';
import { SettingsContext, settingsFrom } from './components/AppContext';
import { REQUEST_TIMEOUT_MS } from './constants';
import { testIds } from './testIds';

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

/** Renders a page whose backend has not answered yet: it says Loading…. */
export function expectLoading(page: React.ReactElement): void {
  renderPage(page);
  expect(screen.getByTestId(testIds.state.loading)).toHaveTextContent('Loading…');
}
