import * as assert from 'assert';
import { DocumentAuthority } from './document-authority';
import { OTClient } from './ot-client';
import { AppliedOp, ClientOp } from './ot-messages';
import { fromSplice } from './splice';
import { StringTextBuffer } from './text-buffer';

/** A client wired to a real authority, with delivery under the test's control. */
function setup(text: string) {
    const authority = new DocumentAuthority(new StringTextBuffer(text));
    const sent: ClientOp[] = [];
    const remote: unknown[] = [];
    const client = new OTClient({
        clientId: 'g1',
        revision: 0,
        document: new StringTextBuffer(text),
        send: message => sent.push(message),
        onRemoteOp: op => remote.push(op),
    });
    const deliverUp = (): AppliedOp => {
        const reply = authority.receive(sent.shift()!);
        assert.strictEqual(reply.type, 'applied');
        return (reply as { applied: AppliedOp }).applied;
    };
    return { authority, client, sent, remote, deliverUp };
}

describe('OTClient', () => {
    it('sends deletes as counts and keeps their texts for itself, also when a buffered edit or a remote one changed them', () => {
        const { authority, client, sent, deliverUp } = setup('hello world');
        const applied = client.applyLocal([5, { d: 6 }]);
        assert.deepStrictEqual(applied, [5, { d: ' world' }], 'the author gets the deleted text (its undo needs it)');
        assert.deepStrictEqual(sent[0].op, [5, { d: 6 }]);
        client.applyLocal([{ d: 'h' }]);
        assert.deepStrictEqual(client.pending, [{ d: 'h' }, 4, { d: ' world' }], 'pending edits stay invertible');
        client.receive(authority.applyHostEdit([2, 'XY', 9]));
        client.receive(deliverUp());
        assert.deepStrictEqual(sent[0].op, [{ d: 1 }], 'the buffered delete went out as a count after the remote edit');
        client.receive(deliverUp());
        assert.strictEqual(authority.buffer.getText(), 'eXYllo');
        assert.strictEqual(client.document.getText(), 'eXYllo');
    });

    it('leaves its document and pending edits alone when a remote operation does not fit or is garbled, and rebases them on the resync', () => {
        const reasons: string[] = [];
        const client = new OTClient({ clientId: 'g1', revision: 0, document: new StringTextBuffer('abc'), send: () => undefined, onOutOfSync: reason => reasons.push(reason) });
        client.applyLocal([3, 'd']);
        client.applyLocal([{ d: 1 }]);
        const before = { text: client.document.getText(), pending: client.pending, revision: client.revision };
        const garbled: unknown[] = [[10, 'x'], [1, { d: 9 }], 'not an operation', [{ x: 1 }], [-1]];
        for (const op of garbled) {
            assert.doesNotThrow(() => client.receive({ revision: 1, op: op as never, clientId: 'g2', seq: 1 }));
            assert.deepStrictEqual({ text: client.document.getText(), pending: client.pending, revision: client.revision }, before, JSON.stringify(op));
        }
        assert.strictEqual(reasons.length, garbled.length, 'each one asked for a resync');
        // The resync: someone else's 'X' went in at the start; ours were not applied yet.
        client.resume({ type: 'snapshot', snapshot: { revision: 1, text: 'Xabc' }, lastSeq: 0, reason: 'test' });
        assert.strictEqual(client.document.getText(), 'Xbcd');
        assert.strictEqual(client.revision, 1);
    });

    it('goes synchronized -> awaiting ack -> awaiting with buffer -> synchronized', () => {
        const { client, sent, deliverUp } = setup('');
        assert.strictEqual(client.state, 'synchronized');
        client.applyLocal(['a']);
        assert.strictEqual(client.state, 'awaiting-ack');
        client.applyLocal([1, 'b']);
        client.applyLocal([2, 'c']);
        assert.strictEqual(client.state, 'awaiting-with-buffer');
        assert.strictEqual(sent.length, 1, 'one batch in flight at a time');
        client.receive(deliverUp());
        assert.strictEqual(client.state, 'awaiting-ack');
        assert.deepStrictEqual(sent[0].op, [1, 'bc'], 'the buffer went out as one operation');
        client.receive(deliverUp());
        assert.strictEqual(client.state, 'synchronized');
        assert.strictEqual(client.revision, 2);
    });

    it('transforms a concurrent remote edit against what is pending', () => {
        const { authority, client, remote, deliverUp } = setup('hello');
        client.applyLocal(fromSplice(5, 5, 0, '!'));
        const host = authority.applyHostEdit(fromSplice(5, 0, 0, '> '));
        client.receive(host);
        assert.strictEqual(client.document.getText(), '> hello!');
        assert.deepStrictEqual(remote, [['> ']]);
        client.receive(deliverUp());
        assert.strictEqual(authority.buffer.getText(), '> hello!');
        assert.strictEqual(client.state, 'synchronized');
    });

    it('keeps editing offline and resends after catching up', () => {
        const { authority, client, sent } = setup('abc');
        client.applyLocal(['1']);
        client.suspend();
        sent.length = 0; // Lost with the connection.
        client.applyLocal([4, '2']);
        authority.applyHostEdit([3, 'H']);
        client.resume(authority.catchUp('g1', client.revision));
        assert.strictEqual(sent.length, 1);
        assert.strictEqual(sent[0].seq, 1, 'the lost operation is resent under its own seq');
        const reply = authority.receive(sent.shift()!);
        assert.strictEqual(reply.type, 'applied');
        client.receive((reply as { applied: AppliedOp }).applied);
        client.receive((authority.receive(sent.shift()!) as { applied: AppliedOp }).applied);
        assert.strictEqual(client.document.getText(), authority.buffer.getText());
        assert.strictEqual(authority.buffer.getText(), '1abcH2');
    });

    it('takes its own operation in the catch-up as the acknowledgement', () => {
        const { authority, client, sent } = setup('');
        client.applyLocal(['x']);
        client.suspend();
        authority.receive(sent.shift()!); // It did arrive; the ack was lost.
        client.resume(authority.catchUp('g1', client.revision));
        assert.strictEqual(client.state, 'synchronized');
        assert.strictEqual(sent.length, 0);
        assert.strictEqual(authority.buffer.getText(), 'x');
    });

    it('rebases pending edits onto a snapshot when the log no longer reaches back', () => {
        const authority = new DocumentAuthority(new StringTextBuffer('base'), { maxOps: 1 });
        const sent: ClientOp[] = [];
        const client = new OTClient({ clientId: 'g1', revision: 0, document: new StringTextBuffer('base'), send: m => sent.push(m) });
        client.suspend();
        client.applyLocal([4, ' mine']);
        authority.applyHostEdit(['A ']);
        authority.applyHostEdit([6, ' B']);
        const catchUp = authority.catchUp('g1', 0);
        assert.strictEqual(catchUp.type, 'snapshot');
        client.resume(catchUp);
        assert.strictEqual(client.document.getText(), 'A base B mine');
        const reply = authority.receive(sent.shift()!);
        assert.strictEqual(reply.type, 'applied');
        assert.strictEqual(authority.buffer.getText(), client.document.getText());
    });

    it('asks for a catch-up when it sees a gap in revisions', () => {
        const reasons: string[] = [];
        const client = new OTClient({ clientId: 'g1', revision: 0, document: new StringTextBuffer(''), send: () => undefined, onOutOfSync: r => reasons.push(r) });
        client.receive({ revision: 2, op: ['x'], clientId: 'h', seq: 2 });
        assert.strictEqual(client.document.getText(), '');
        assert.match(reasons[0], /expected revision 1, got 2/);
    });

    it('rejects a local edit that does not fit, changing nothing', () => {
        const { client, sent } = setup('abc');
        assert.throws(() => client.applyLocal([5, 'x']), /past the end/);
        assert.strictEqual(client.document.getText(), 'abc');
        assert.strictEqual(sent.length, 0);
    });
});
