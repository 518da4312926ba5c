import type { HostTerminalState, TerminalDiagnostics } from '../../browser/terminal/terminal-diagnostics';
import { eventually } from './shared-documents';
import type { TheiaPage } from './theia-page';

/** Reads a page's `window.ensembleTerminals` (terminals draw on a canvas: their text is read from the xterm buffers). */
export function terminalDiagnostics<T>(page: TheiaPage, read: (d: TerminalDiagnostics) => T): Promise<T> {
    return page.page.evaluate(`(${read.toString()})(window.ensembleTerminals)`) as Promise<T>;
}

/** The page's own terminals that the user has (Theia may keep others out of sight). */
export function userTerminals(page: TheiaPage): Promise<HostTerminalState[]> {
    return terminalDiagnostics(page, d => d.ownTerminals().filter(terminal => !terminal.hiddenFromUser));
}

/**
 * Opens a new terminal on the page (Theia may ask for a profile first: the
 * default is taken) and waits until its shell printed its prompt, so that
 * keys typed next reach the shell.
 */
export async function openTerminal(page: TheiaPage): Promise<void> {
    const before = (await userTerminals(page)).length;
    await page.runCommand('Terminal: Create New Terminal');
    const profilePick = page.page.locator('.quick-input-widget .quick-input-box input');
    const created = async (): Promise<boolean> => (await userTerminals(page)).length > before;
    await eventually(async () => await created() || await profilePick.isVisible(), `[${page.name}] a terminal opens (or a profile is asked for)`);
    if (!await created()) {
        await page.page.keyboard.press('Enter');
    }
    await eventually(async () => ((await userTerminals(page)).find(terminal => terminal.visible)?.text.trim().length ?? 0) > 0,
        `[${page.name}] the new terminal's shell prints its prompt`);
}
