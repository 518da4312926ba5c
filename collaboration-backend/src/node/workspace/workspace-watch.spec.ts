import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import 'reflect-metadata';
import type { WorkspaceFileChange } from '../../common/workspace-sharing-protocol';
import { HostWorkspaceServiceImpl } from './host-workspace-service-impl';
import { createTempWorkspace, ok, type TempWorkspace } from './testing/temp-workspace';

describe('HostWorkspaceService: changes under the shared roots reach the client', () => {
    let temp: TempWorkspace;
    let service: HostWorkspaceServiceImpl;
    let changes: WorkspaceFileChange[];

    beforeEach(async () => {
        temp = await createTempWorkspace();
        changes = [];
        service = new HostWorkspaceServiceImpl();
        service.setClient({ onDidChangeFiles: batch => changes.push(...batch) });
        ok(await service.setSharedRoots([{ name: 'ws', uri: temp.wsUri }], { excludedGlobs: ['**/.env', '**/.git/**'] }));
    });
    afterEach(async () => {
        service.dispose();
        await temp.remove();
    });

    /** Writes marker files until the watcher reports one: the watcher may take a moment to be live. */
    async function waitForWatcher(): Promise<void> {
        for (let attempt = 0; attempt < 200 && !changes.some(change => change.path.startsWith('marker-')); attempt++) {
            await fs.writeFile(nodePath.join(temp.ws, `marker-${attempt}`), '');
            await new Promise(resolve => setTimeout(resolve, 50));
        }
        assert.ok(changes.some(change => change.path.startsWith('marker-')), 'the watcher never reported a change');
    }

    async function waitFor(predicate: (change: WorkspaceFileChange) => boolean, what: string): Promise<void> {
        for (let attempt = 0; attempt < 400 && !changes.some(predicate); attempt++) {
            await new Promise(resolve => setTimeout(resolve, 25));
        }
        assert.ok(changes.some(predicate), `never saw ${what}: ${JSON.stringify(changes)}`);
    }

    it('reports additions, updates and deletions with root-relative paths, and never excluded files', async () => {
        await waitForWatcher();
        await fs.writeFile(nodePath.join(temp.ws, '.env'), 'SECRET=2\n');
        await fs.writeFile(nodePath.join(temp.ws, '.git', 'config'), 'changed');
        await fs.writeFile(nodePath.join(temp.ws, 'sub', 'new.txt'), 'new');
        await fs.appendFile(nodePath.join(temp.ws, 'a.txt'), 'more');
        await fs.rm(nodePath.join(temp.ws, 'sub', 'b.txt'));
        await waitFor(change => change.path === 'sub/new.txt' && change.type === 'added', 'sub/new.txt added');
        await waitFor(change => change.path === 'a.txt' && change.type === 'updated', 'a.txt updated');
        await waitFor(change => change.path === 'sub/b.txt' && change.type === 'deleted', 'sub/b.txt deleted');
        assert.ok(changes.every(change => change.root === 'ws'));
        assert.deepEqual(changes.filter(change => change.path.includes('.env') || change.path.includes('.git')), []);
    });

    it('stops reporting a root once it is no longer shared', async () => {
        await waitForWatcher();
        ok(await service.setSharedRoots([], { excludedGlobs: [] }));
        changes = [];
        await fs.writeFile(nodePath.join(temp.ws, 'after.txt'), 'x');
        // A second, still shared root proves events flow, so the silence of the first one is meaningful.
        const other = nodePath.join(temp.base, 'other');
        await fs.mkdir(other);
        ok(await service.setSharedRoots([{ name: 'other', uri: `file://${other}` }], { excludedGlobs: [] }));
        for (let attempt = 0; attempt < 200 && !changes.some(change => change.root === 'other'); attempt++) {
            await fs.writeFile(nodePath.join(other, `marker-${attempt}`), '');
            await new Promise(resolve => setTimeout(resolve, 50));
        }
        assert.ok(changes.some(change => change.root === 'other'));
        assert.deepEqual(changes.filter(change => change.root === 'ws'), []);
    });
});
