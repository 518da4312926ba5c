import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { FileUri } from '@theia/core/lib/common/file-uri';
import { unwrapResult, type Requester, type WorkspaceResult } from '../../../common/workspace-sharing-protocol';

/**
 * A real folder tree in the OS's temp dir for the workspace tests:
 *
 *     <base>/ws/            shared as "ws"
 *         a.txt, .env, sub/b.txt, sub/.env, sub/deeper/c.txt, .git/config
 *         link-inside -> a.txt          link-to-env -> .env
 *         link-outside -> ../outside/secret.txt
 *         link-dir-outside -> ../outside
 *         link-dangling -> nowhere
 *     <base>/outside/secret.txt       not shared
 */
export interface TempWorkspace {
    readonly base: string;
    readonly ws: string;
    readonly outside: string;
    readonly wsUri: string;
    remove(): Promise<void>;
}

export async function createTempWorkspace(): Promise<TempWorkspace> {
    const base = await fs.realpath(await fs.mkdtemp(nodePath.join(os.tmpdir(), 'ensemble-ws-')));
    const ws = nodePath.join(base, 'ws');
    const outside = nodePath.join(base, 'outside');
    const files: Record<string, string> = {
        'ws/a.txt': 'alpha\n',
        'ws/.env': 'SECRET=1\n',
        'ws/sub/b.txt': 'beta\n',
        'ws/sub/.env': 'SUB_SECRET=1\n',
        'ws/sub/deeper/c.txt': 'gamma\n',
        'ws/.git/config': '[core]\n',
        'outside/secret.txt': 'outside secret\n'
    };
    for (const [path, content] of Object.entries(files)) {
        await fs.mkdir(nodePath.dirname(nodePath.join(base, path)), { recursive: true });
        await fs.writeFile(nodePath.join(base, path), content);
    }
    await fs.symlink('a.txt', nodePath.join(ws, 'link-inside'));
    await fs.symlink('.env', nodePath.join(ws, 'link-to-env'));
    await fs.symlink('../outside/secret.txt', nodePath.join(ws, 'link-outside'));
    await fs.symlink('../outside', nodePath.join(ws, 'link-dir-outside'));
    await fs.symlink('nowhere', nodePath.join(ws, 'link-dangling'));
    return {
        base, ws, outside, wsUri: FileUri.create(ws).toString(),
        remove: () => fs.rm(base, { recursive: true, force: true })
    };
}

export const readWrite: Requester = { peerId: 'guest-rw', role: 'read-write' };
export const readOnly: Requester = { peerId: 'guest-ro', role: 'read-only' };

/** The failure's code, or 'ok'. */
export function codeOf(result: WorkspaceResult<unknown>): string {
    return result.ok ? 'ok' : result.error.code;
}

export { unwrapResult as ok };
