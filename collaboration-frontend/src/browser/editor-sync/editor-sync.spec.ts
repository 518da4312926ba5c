import * as assert from 'node:assert/strict';
import '@theia/core/shared/reflect-metadata';
import { loadMonaco } from './test/load-monaco';
import type * as Monaco from '@theia/monaco-editor-core';
import type { CollaborationSession } from '@ensemble/collaboration-common';
import { SeededRandom } from '@ensemble/collaboration-common/lib/ot/testing/seeded-random';
import type { RunningCoordinationServer } from '@ensemble/coordination-server';
import { delay, eventually, hostRoom, joinAs, type HostedRoom } from '@ensemble/coordination-server/lib/testing/session-helpers';
import { startTestServer } from '@ensemble/coordination-server/lib/testing/test-server';
import { DisposableCollection } from '@theia/core/lib/common/disposable';
import { DocumentChecksum } from './editor-sync-messages';
import { EditorSyncMetrics } from './editor-sync-metrics';
import { GuestDocuments } from './guest/guest-documents';
import type { GuestDocument } from './guest/guest-document';
import { registerHostEditorHandlers, type HostEditorHandlers } from './host/host-editor-handlers';
import { rangeOf } from './model-edits';
import type { TextModel } from './text-model';
import { FakeEditor } from './test/fake-editor';

/**
 * The editor binding end to end without a browser: the host's authority over
 * a real Monaco model, guests' OT clients driving real Monaco models, all
 * through a real coordination server. Edits are made the way an editor makes
 * them (pushEditOperations, several changes per event).
 */
describe('editor sync: host model ↔ coordination server ↔ guest models', function () {
    this.timeout(120_000);
    let monaco: typeof Monaco;
    let server: RunningCoordinationServer;
    let room: HostedRoom;
    let handlers: HostEditorHandlers;
    let hostModels: Map<string, TextModel>;
    let hostEditors: Map<string, FakeEditor>;
    let saves: string[];
    let uriCounter = 0;
    const toDispose = new DisposableCollection();

    before(async () => {
        monaco = await loadMonaco();
        server = await startTestServer();
    });
    after(() => server.close());

    beforeEach(async () => {
        hostModels = new Map();
        hostEditors = new Map();
        saves = [];
        room = await hostRoom(server.url, 'Hana');
        handlers = registerHostEditorHandlers(room.host, {
            acquire: async target => {
                const model = hostModels.get(target.path);
                if (!model) {
                    throw new Error(`${target.path} is not shared`);
                }
                return { model, editors: () => [hostEditors.get(target.path)!], save: async () => { saves.push(model.getValue()); }, release: () => undefined };
            }
        }, { checksumDelayMs: 50 });
        toDispose.push(handlers);
    });
    afterEach(() => {
        toDispose.dispose();
        room.host.dispose();
        monaco.editor.getModels().forEach(model => model.dispose());
    });

    function hostFile(path: string, text: string, eol?: '\n' | '\r\n'): TextModel {
        const model = monaco.editor.createModel(text, 'plaintext', monaco.Uri.parse(`file:///ws${++uriCounter}/${path}`));
        if (eol) {
            model.setEOL(eol === '\r\n' ? monaco.editor.EndOfLineSequence.CRLF : monaco.editor.EndOfLineSequence.LF);
        }
        hostModels.set(path, model);
        hostEditors.set(path, new FakeEditor(monaco, model));
        return model;
    }

    interface Guest {
        readonly session: CollaborationSession;
        readonly documents: GuestDocuments;
        readonly metrics: EditorSyncMetrics;
    }
    interface OpenedDocument {
        readonly document: GuestDocument;
        readonly model: TextModel;
        readonly editor: FakeEditor;
    }

    async function joinGuest(name: string, role: 'read-write' | 'read-only' = 'read-write'): Promise<Guest> {
        const metrics = new EditorSyncMetrics();
        let documents: GuestDocuments | undefined;
        const session = await joinAs(server.url, room, name, role, guest => { documents = new GuestDocuments(guest, metrics); },
            { socketOptions: { reconnectionDelay: 50, reconnectionDelayMax: 100 } });
        toDispose.push(documents!);
        toDispose.push({ dispose: () => session.dispose() });
        await eventually(() => room.host.peers.has(session.peerId!), 'the host sees the guest');
        return { session, documents: documents!, metrics };
    }

    async function openIn(guest: Guest, path: string): Promise<OpenedDocument> {
        const { document, text } = await guest.documents.open({ root: 'ws', path });
        // As Theia does: the model is created from the text, with the default line ending for text without one.
        const model = monaco.editor.createModel(text, 'plaintext', monaco.Uri.parse(`ensemble://room${++uriCounter}/ws/${path}`));
        const editor = new FakeEditor(monaco, model);
        toDispose.push(document.attach({ model, applyRemote: edits => model.applyEdits(edits), editors: () => [editor] }));
        return { document, model, editor };
    }

    /** An edit as the editor makes it when the user types: through the undo stack, one change event. */
    function type(model: TextModel, offset: number, deleteCount: number, text: string): void {
        model.pushEditOperations([], [{ range: rangeOf(model, offset, offset + deleteCount), text }], () => null);
    }

    async function converged(host: TextModel, ...docs: OpenedDocument[]): Promise<void> {
        await eventually(() => docs.every(({ document, model }) =>
            document.state === 'synchronized' && document.revision === handlers.documents.get(document.key)?.revision
            && model.getValue() === host.getValue() && document.text === host.getValue()),
        'every guest holds the host\'s text at the host\'s revision', 20_000);
    }

    it('opens a document with the host\'s text and keeps every peer equal under concurrent random edits (seeded)', async () => {
        const host = hostFile('a.txt', 'line one\nline two\nline three\n');
        const [ana, ben] = [await joinGuest('Ana'), await joinGuest('Ben')];
        const a = await openIn(ana, 'a.txt');
        const b = await openIn(ben, 'a.txt');
        assert.equal(a.model.getValue(), host.getValue());
        const random = new SeededRandom(5);
        const texts = ['x', 'yz', '\n', 'multi\nline\npaste\n', '😀', 'é', '  ', 'ab😀cd'];
        const models = [host, a.model, b.model];
        for (let round = 0; round < 300; round++) {
            const model = random.pick(models);
            const length = model.getValueLength();
            let offset = random.int(0, length);
            // Never inside a surrogate pair: an editor cannot put the caret there.
            if (offset > 0 && offset < length && /[\udc00-\udfff]/.test(model.getValue().charAt(offset))) {
                offset--;
            }
            if (random.chance(0.3) && length > 0) {
                let count = Math.min(random.int(1, 4), length - offset);
                if (count > 0 && /[\ud800-\udbff]/.test(model.getValue().charAt(offset + count - 1))) {
                    count++;
                }
                if (count > 0 && offset + count <= length) {
                    type(model, offset, count, random.chance(0.3) ? random.pick(texts) : '');
                }
            } else if (random.chance(0.1) && length > 4) {
                // Two cursors typing at once: one event with two changes.
                const first = random.int(0, Math.floor(length / 2) - 1);
                const second = random.int(Math.floor(length / 2) + 1, length);
                const safe = (at: number): number => /[\udc00-\udfff]/.test(model.getValue().charAt(at)) ? at - 1 : at;
                model.pushEditOperations([], [
                    { range: rangeOf(model, safe(first), safe(first)), text: 'M' },
                    { range: rangeOf(model, safe(second), safe(second)), text: 'N' }
                ], () => null);
            } else {
                type(model, offset, 0, random.pick(texts));
            }
            if (round % 7 === 0) {
                await delay(random.int(0, 3));
            }
        }
        await converged(host, a, b);
        assert.ok(host.getValue().length > 100);
        assert.deepEqual([ana.metrics.checksumMismatches, ben.metrics.checksumMismatches], [0, 0]);
        assert.deepEqual([ana.metrics.modelRepairs, ben.metrics.modelRepairs], [0, 0]);
    });

    it('keeps a local caret where it belongs when others edit around it', async () => {
        const host = hostFile('c.txt', 'hello world');
        const a = await openIn(await joinGuest('Ana'), 'c.txt');
        a.editor.select(5);
        type(host, 5, 0, 'XYZ'); // at the caret: the caret stays before it
        await converged(host, a);
        assert.deepEqual(a.editor.offsets, [5, 5]);
        type(host, 0, 0, '>>'); // before it: the caret moves with its text
        await converged(host, a);
        assert.deepEqual(a.editor.offsets, [7, 7]);
        a.editor.select(8, 12);
        type(host, 9, 2, ''); // inside a selection: it shrinks
        await converged(host, a);
        assert.deepEqual(a.editor.offsets, [8, 10]);
        // The host's caret likewise, when a guest edits.
        hostEditors.get('c.txt')!.select(3);
        type(a.model, 3, 0, 'guest');
        await converged(host, a);
        assert.deepEqual(hostEditors.get('c.txt')!.offsets, [3, 3]);
        assert.equal(host.getValue(), '>>hguestelloXYworld');
    });

    it('undoes only the user\'s own edit after others typed around it', async () => {
        const host = hostFile('u.txt', 'middle');
        const a = await openIn(await joinGuest('Ana'), 'u.txt');
        const b = await openIn(await joinGuest('Ben'), 'u.txt');
        type(a.model, 0, 0, 'AAA ');
        await converged(host, a, b);
        type(b.model, b.model.getValueLength(), 0, ' BBB');
        type(host, 4, 0, '[host]');
        await converged(host, a, b);
        assert.equal(host.getValue(), 'AAA [host]middle BBB');
        assert.ok(a.document.undo());
        await converged(host, a, b);
        assert.equal(host.getValue(), '[host]middle BBB');
        assert.ok(a.document.redo());
        await converged(host, a, b);
        assert.equal(host.getValue(), 'AAA [host]middle BBB');
        assert.ok(b.document.undo());
        await converged(host, a, b);
        assert.equal(host.getValue(), 'AAA [host]middle');
    });

    it('undoes only the host\'s own edit on the host after guests typed around it, and redoes it', async () => {
        const host = hostFile('hu.txt', 'one two three');
        const a = await openIn(await joinGuest('Ana'), 'hu.txt');
        const document = handlers.documents.get(a.document.key)!;
        type(host, 4, 3, 'TWO'); // a replace: the undo must put the deleted text back
        await converged(host, a);
        type(a.model, 0, 0, '<');
        type(a.model, a.model.getValueLength(), 0, '>');
        type(a.model, 8, 0, '|'); // right after the host's word
        await converged(host, a);
        assert.equal(host.getValue(), '<one TWO| three>');
        assert.ok(document.undo());
        await converged(host, a);
        assert.equal(host.getValue(), '<one two| three>');
        assert.equal(a.model.getValue(), host.getValue());
        assert.ok(!document.undo(), 'nothing more of the host\'s own to undo');
        type(a.model, 0, 1, ''); // a guest edit between undo and redo
        await converged(host, a);
        assert.ok(document.redo());
        await converged(host, a);
        assert.equal(host.getValue(), 'one TWO| three>');
        assert.ok(document.undo());
        await converged(host, a);
        assert.equal(host.getValue(), 'one two| three>');
        // The guest's own history is untouched by the host's: undoing all of it leaves the host's undone state.
        // (How many steps it takes depends on timing: quick keystrokes group.)
        assert.ok(a.document.undo());
        while (a.document.undo()) {
            await converged(host, a);
        }
        await converged(host, a);
        assert.equal(host.getValue(), 'one two three');
    });

    it('keeps CRLF line endings: guests edit with the host\'s line ending, the host\'s text stays CRLF', async () => {
        const host = hostFile('w.txt', 'one\r\ntwo\r\n');
        const noBreaks = hostFile('v.txt', 'no line break yet', '\r\n');
        const ana = await joinGuest('Ana');
        const a = await openIn(ana, 'w.txt');
        const v = await openIn(ana, 'v.txt');
        assert.equal(a.model.getEOL(), '\r\n');
        assert.equal(v.model.getEOL(), '\r\n', 'a document without line breaks takes the host\'s line ending');
        type(a.model, 5, 0, 'pasted\nlines\n');
        type(v.model, 2, 0, '\n');
        type(host, 0, 0, 'zero\r\n');
        await converged(host, a);
        await converged(noBreaks, v);
        assert.equal(host.getValue(), 'zero\r\none\r\npasted\r\nlines\r\ntwo\r\n');
        assert.equal(noBreaks.getValue(), 'no\r\n line break yet');
        assert.ok(!/(?<!\r)\n/.test(host.getValue()));
    });

    it('saves through the host: a guest\'s save waits for its edits to reach the host', async () => {
        hostFile('s.txt', 'saved?');
        const a = await openIn(await joinGuest('Ana'), 's.txt');
        type(a.model, 6, 0, ' yes');
        await a.document.save();
        assert.deepEqual(saves, ['saved? yes']);
    });

    it('a guest that loses its connection keeps typing and converges after the reconnect', async () => {
        const host = hostFile('r.txt', 'shared text\n');
        const ana = await joinGuest('Ana');
        const a = await openIn(ana, 'r.txt');
        const b = await openIn(await joinGuest('Ben'), 'r.txt');
        const socket = (ana.session as unknown as { socket: { io: { engine: { close(): void }; reconnectionDelay(ms: number): void } } }).socket;
        socket.io.reconnectionDelay(400);
        socket.io.engine.close();
        await eventually(() => ana.session.state === 'reconnecting', 'Ana is offline');
        for (let i = 0; i < 10; i++) {
            type(a.model, 0, 0, `a${i} `);
            type(b.model, b.model.getValueLength(), 0, ` b${i}`);
            type(host, 7, 0, 'h');
            await delay(5);
        }
        await eventually(() => ana.session.state === 'connected', 'Ana is back', 10_000);
        await converged(host, a, b);
        assert.match(host.getValue(), /^a9 a8 .*a0 share/);
        assert.match(host.getValue(), / b0 b1 .* b9$/);
        assert.ok(ana.metrics.resyncs >= 1);
    });

    it('detects a drifted copy through the checksum, counts it and resyncs from a snapshot', async () => {
        const host = hostFile('d.txt', 'abcdef');
        const ana = await joinGuest('Ana');
        const a = await openIn(ana, 'd.txt');
        const document = handlers.documents.get(a.document.key)!;
        // An edit of the host's model the authority never hears of (a bug, or a lost message).
        document.buffer.editing = true;
        host.applyEdits([{ range: rangeOf(host, 0, 1), text: 'Z' }]);
        document.buffer.editing = false;
        document.publishChecksum();
        await eventually(() => ana.metrics.checksumMismatches === 1, 'the mismatch is noticed');
        await converged(host, a);
        assert.equal(a.model.getValue(), 'Zbcdef');
        assert.equal(ana.metrics.snapshotResyncs, 1);
    });

    it('checks a big document\'s checksum a slice at a time: an edit during the pass abandons it, the next one matches', async () => {
        const line = 'const value = computeSomething(alpha, beta, gamma) + 42; // filler filler fill\n';
        const host = hostFile('big-sum.txt', line.repeat(Math.ceil(3_000_000 / line.length)));
        const ana = await joinGuest('Ana');
        const a = await openIn(ana, 'big-sum.txt');
        const document = handlers.documents.get(a.document.key)!;
        const seen: number[] = [];
        toDispose.push(ana.session.onBroadcast(DocumentChecksum, ({ revision }) => seen.push(revision)));
        // The pass reads its first slice now and the rest in later tasks: the host's typing comes in between.
        const pass = document.publishChecksum();
        type(host, 0, 0, 'typed during the pass\n');
        await pass;
        assert.equal(seen.length, 0, 'no checksum for a text that changed during the pass');
        // The edit schedules the next pass (50 ms after it), which covers the new revision and matches Ana's copy.
        await eventually(() => seen.includes(document.revision), 'the checksum of the new revision arrives');
        await converged(host, a);
        await delay(200);
        assert.equal(ana.metrics.checksumMismatches, 0);
        assert.equal(ana.metrics.modelRepairs, 0);
    });

    it('opens a large document in chunks', async () => {
        const line = 'const value = "some text with an emoji 😀 in it";\n';
        const host = hostFile('big.ts', line.repeat(Math.ceil(3_000_000 / line.length)));
        const a = await openIn(await joinGuest('Ana'), 'big.ts');
        assert.equal(a.model.getValueLength(), host.getValueLength());
        type(a.model, host.getValueLength(), 0, '// end');
        type(host, 0, 0, '// start\n');
        await converged(host, a);
    });

    it('sends a guest\'s 2 MB paste in pieces; every peer converges and typing goes on', async () => {
        const host = hostFile('paste.txt', 'before\nafter\n');
        const ana = await joinGuest('Ana');
        const a = await openIn(ana, 'paste.txt');
        const b = await openIn(await joinGuest('Ben'), 'paste.txt');
        const line = 'pasted text with an emoji 😀 and a tab\t;\n';
        const paste = line.repeat(Math.ceil(2_000_000 / line.length));
        type(a.model, 7, 0, paste);
        type(b.model, 0, 0, 'Ben ');
        type(host, host.getValueLength(), 0, 'host\n');
        await converged(host, a, b);
        assert.equal(host.getValue(), `Ben before\n${paste}after\nhost\n`);
        // The big edit is one undo step of Ana's, and deleting it is as big an edit (its text is not sent back).
        assert.ok(a.document.undo());
        type(b.model, b.model.getValueLength(), 0, 'end');
        await converged(host, a, b);
        assert.equal(host.getValue(), 'Ben before\nafter\nhost\nend');
        assert.deepEqual([ana.metrics.checksumMismatches, ana.metrics.modelRepairs], [0, 0]);
    });

    it('refuses a read-only guest\'s edits and puts its editor back to the host\'s text', async () => {
        const host = hostFile('ro.txt', 'read only');
        const guest = await joinGuest('Rita', 'read-only');
        const r = await openIn(guest, 'ro.txt');
        const refusals: string[] = [];
        r.document.onDidRefuseEdit(reason => refusals.push(reason));
        type(r.model, 0, 0, 'nope ');
        await eventually(() => refusals.length === 1 && r.model.getValue() === 'read only', 'the edit is refused and undone');
        assert.equal(host.getValue(), 'read only');
        assert.match(refusals[0], /read-only/);
    });
});
