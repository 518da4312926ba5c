import type { EditorSyncDiagnostics, SharedDocumentDiagnostics } from '../../browser/editor-sync/editor-sync-diagnostics';
import { UI_TIMEOUT_MS, type TheiaPage } from './theia-page';

/**
 * Polls `check` until it holds. A check that throws counts as "not yet" (a
 * page in the middle of a reload cannot evaluate anything); the last error
 * is quoted if time runs out.
 */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = UI_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
        try {
            if (await check()) {
                return;
            }
        } catch (error) {
            lastError = error;
        }
        if (Date.now() > deadline) {
            throw new Error(`timed out waiting until ${what}${lastError ? ` (last check failed: ${(lastError as Error).message ?? String(lastError)})` : ''}`);
        }
        await new Promise(resolve => setTimeout(resolve, 200));
    }
}

/** The shared documents the page's editor sync knows (window.ensembleEditorSync), with their texts. */
export function sharedDocuments(page: TheiaPage): Promise<SharedDocumentDiagnostics[]> {
    return page.page.evaluate(() => (globalThis as unknown as { ensembleEditorSync?: EditorSyncDiagnostics }).ensembleEditorSync?.documents() ?? []);
}

export async function sharedDocument(page: TheiaPage, path: string): Promise<SharedDocumentDiagnostics | undefined> {
    return (await sharedDocuments(page)).find(doc => doc.path === path);
}

/**
 * Waits until every page's editor of `path` holds the host's text at the
 * host's revision with nothing pending (the first page is the host's) and
 * returns that text.
 */
export async function converged(pages: readonly TheiaPage[], path: string, timeoutMs = 60_000): Promise<string> {
    let last: Array<SharedDocumentDiagnostics | undefined> = [];
    try {
        await eventually(async () => {
            last = await Promise.all(pages.map(page => sharedDocument(page, path)));
            const [host, ...guests] = last;
            return !!host && guests.every(guest => !!guest && guest.state === 'synchronized' && guest.revision === host.revision && guest.text === host.text);
        }, `the editors of ${path} converge`, timeoutMs);
    } catch (error) {
        const summary = last.map(doc => doc && `${doc.state}@${doc.revision} (${doc.text?.length} chars)`).join(' / ');
        throw new Error(`${(error as Error).message}: ${summary}`);
    }
    return last[0]!.text!;
}
