// What the editing browser tests do on a page: open the editor, select a grid by its code,
// delete one and wait for the draft to say it was committed; the page's grids and draft.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The parts of the page's test hooks (src/ui/testHooks.ts) used here. */
interface Hooks { draft?: { done: number; [k: string]: unknown } | null; district: { grids: { properties: { code: string } }[] }; selection?: { code: string } | null }
declare const window: { gridscope: Hooks };

export const draftOf = (p: Page) => p.evaluate(() => window.gridscope.draft ?? null);
export const codesOf = (p: Page) => p.evaluate(() => window.gridscope.district.grids.map((g) => g.properties.code));

export async function openEditor(p: Page) {
  await p.getByTestId('open-edit').click();
  await p.getByTestId('edit-panel').waitFor();
}

export async function selectGrid(p: Page, code: string) {
  await p.getByTestId('search').fill(code);
  await p.getByTestId('search').press('Enter');
  await expect.poll(() => p.evaluate(() => window.gridscope.selection?.code)).toBe(code);
  await p.getByTestId('search').blur();
}

/** Deletes a grid and waits until the page's draft counts `done` edits (the edit acknowledged). */
export async function deleteGrid(p: Page, code: string, done: number) {
  await selectGrid(p, code);
  await p.getByTestId('delete-grid').click();
  await expect.poll(() => p.evaluate(() => window.gridscope.draft?.done ?? 0), { timeout: 20_000 }).toBe(done);
}
