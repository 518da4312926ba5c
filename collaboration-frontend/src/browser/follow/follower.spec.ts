import * as assert from 'node:assert/strict';
import '@theia/core/shared/reflect-metadata';
import { loadMonaco } from '../editor-sync/test/load-monaco';
import type * as Monaco from '@theia/monaco-editor-core';
import type { CollaborationSession } from '@ensemble/collaboration-common';
import type { RunningCoordinationServer } from '@ensemble/coordination-server';
import { delay, eventually, hostRoom, joinAs, type HostedRoom } from '@ensemble/coordination-server/lib/testing/session-helpers';
import { startTestServer } from '@ensemble/coordination-server/lib/testing/test-server';
import { DisposableCollection } from '@theia/core/lib/common/disposable';
import { editorView } from './editor-view';
import { Follower } from './follower';
import { locationStatus, LocationStatusKeys } from './leader-location';
import { createEditor } from './test/editor-in-jsdom';

/**
 * The follower's side of follow mode through a real session: the leader's
 * view (caret line, first visible line) goes out in its status as
 * LocationStatusContribution publishes it, and a real Monaco editor (laid
 * out in jsdom) follows it until the user acts in it.
 */
describe('follow mode through a real session: the follower shows the leader\'s lines', function () {
    this.timeout(120_000);
    const TARGET = { root: 'ws', path: 'long.txt' };
    const TEXT = Array.from({ length: 400 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    let monaco: typeof Monaco;
    let server: RunningCoordinationServer;
    let room: HostedRoom;
    let guest: CollaborationSession;
    let leaderEditor: Monaco.editor.IStandaloneCodeEditor;
    let followerEditor: Monaco.editor.IStandaloneCodeEditor;
    let follower: Follower;
    let following: string | undefined;
    let stops: number;
    const toDispose = new DisposableCollection();

    before(async () => {
        monaco = await loadMonaco();
        server = await startTestServer();
    });
    after(() => server.close());

    beforeEach(async () => {
        room = await hostRoom(server.url, 'Hana');
        guest = await joinAs(server.url, room, 'Ana');
        toDispose.push({ dispose: () => guest.dispose() });
        toDispose.push({ dispose: () => room.host.dispose() });
        leaderEditor = createEditor(monaco, monaco.editor.createModel(TEXT, 'plaintext', monaco.Uri.parse('file:///ws/long.txt')));
        // The follower's window is taller than the leader's: the same first line, more lines below it.
        followerEditor = createEditor(monaco, monaco.editor.createModel(TEXT, 'plaintext', monaco.Uri.parse('ensemble://room/ws/long.txt')), { width: 600, height: 520 });
        toDispose.push(leaderEditor);
        toDispose.push(followerEditor);
        following = undefined;
        stops = 0;
        follower = new Follower({
            session: guest,
            leader: () => following,
            open: async location => location.target.path === TARGET.path ? followerEditor : undefined,
            stop: () => {
                stops++;
                following = undefined;
                follower.end();
            }
        });
        toDispose.push(follower);
    });
    afterEach(() => {
        toDispose.dispose();
        monaco.editor.getModels().forEach(model => model.dispose());
    });

    /** The leader's status as LocationStatusContribution publishes it. */
    async function publishLeaderView(): Promise<void> {
        await room.host.setStatus({ name: 'Hana', ...locationStatus({ target: TARGET, ...editorView(leaderEditor) }) });
    }

    /** The first line an editor shows whole (Monaco's visible ranges). */
    function topLine(editor: Monaco.editor.ICodeEditor): number {
        return editor.getVisibleRanges()[0].startLineNumber;
    }

    /**
     * The leader scrolls (wheel or scrollbar: the caret stays where it is)
     * so that `line` is its first line shown whole, with a bit of the line
     * above it still in view.
     */
    function leaderScrollsTo(line: number): void {
        leaderEditor.setScrollTop(Math.max(0, leaderEditor.getTopForLineNumber(line) - 5));
    }

    async function followHost(): Promise<void> {
        following = room.host.peerId!;
        follower.watch(followerEditor);
        await follower.start();
    }

    /** Waits until the guest has the leader's status naming `topLine` (whether or not the follower moved). */
    async function guestSeesTopLine(line: number): Promise<void> {
        await eventually(() => room.host.peerId !== undefined
            && (guest.statuses.get(room.host.peerId)?.status as Record<string, unknown> | undefined)?.[LocationStatusKeys.activeTopLine] === line, `the guest sees top line ${line}`, 20_000);
    }

    it('shows the leader\'s first visible line and caret line, and keeps up as the leader scrolls', async () => {
        leaderEditor.setPosition({ lineNumber: 3, column: 1 });
        await publishLeaderView();
        await followHost();
        await eventually(() => followerEditor.getPosition()?.lineNumber === 3 && topLine(followerEditor) === 1, 'the follower is at the leader\'s caret', 20_000);

        // The leader scrolls far away without moving its caret.
        leaderScrollsTo(150);
        assert.equal(topLine(leaderEditor), 150);
        assert.equal(leaderEditor.getPosition()?.lineNumber, 3);
        await publishLeaderView();
        await eventually(() => topLine(followerEditor) === 150, 'the follower shows line 150 first', 20_000);
        assert.equal(followerEditor.getPosition()?.lineNumber, 3, 'the caret stays on the leader\'s caret line');

        leaderScrollsTo(42);
        await publishLeaderView();
        await eventually(() => topLine(followerEditor) === 42, 'the follower shows line 42 first', 20_000);

        // Near the end of the file, too (Monaco scrolls beyond the last line by default, so the line fits on top).
        leaderScrollsTo(390);
        await publishLeaderView();
        await eventually(() => topLine(followerEditor) === 390, 'the follower shows line 390 first', 20_000);
        assert.equal(stops, 0, 'following went on all along');
    });

    for (const [act, perform] of [
        ['scrolls with the wheel', (editor: Monaco.editor.ICodeEditor) => editor.getDomNode()!.dispatchEvent(new WheelEvent('wheel', { deltaY: 120, bubbles: true }))],
        ['clicks into the editor', (editor: Monaco.editor.ICodeEditor) => editor.getDomNode()!.querySelector('.view-lines')!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, button: 0 }))],
        ['presses a key', (editor: Monaco.editor.ICodeEditor) => editor.getDomNode()!.querySelector('textarea')!.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, key: 'a', code: 'KeyA' }))]
    ] as const) {
        it(`stops following when the follower ${act}`, async () => {
            leaderScrollsTo(100);
            await publishLeaderView();
            await followHost();
            await eventually(() => topLine(followerEditor) === 100, 'the follower shows line 100 first', 20_000);

            perform(followerEditor);
            assert.equal(stops, 1, 'the user\'s own action stopped following');
            assert.equal(following, undefined);
            const stoppedAt = followerEditor.getScrollTop();

            // The leader moves on: the follower's editor stays where its user left it.
            leaderScrollsTo(250);
            await publishLeaderView();
            await guestSeesTopLine(250);
            await delay(100);
            assert.equal(followerEditor.getScrollTop(), stoppedAt);
            assert.notEqual(topLine(followerEditor), 250);
        });
    }

    it('does not take its own moves for the user\'s: scrolling the follower programmatically keeps following', async () => {
        await publishLeaderView();
        await followHost();
        for (const line of [60, 61, 300, 2]) {
            leaderScrollsTo(line);
            await publishLeaderView();
            await eventually(() => topLine(followerEditor) === line, `the follower shows line ${line} first`, 20_000);
        }
        assert.equal(stops, 0);
    });
});
