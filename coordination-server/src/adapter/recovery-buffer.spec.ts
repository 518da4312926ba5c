import * as assert from 'node:assert/strict';
import { PACKET_OVERHEAD_BYTES, RecoveryBuffer } from './recovery-buffer';

function push(buffer: RecoveryBuffer, text: string, room = 'r:1', except?: string): number {
    const sequence = buffer.append(room, except);
    buffer.fill(sequence, text);
    return sequence;
}

const texts = (buffer: RecoveryBuffer, offset: number): string[] | undefined => buffer.since(offset)?.map(entry => entry.packet as string);

describe('RecoveryBuffer: the bounded packet store of connection state recovery', () => {
    it('returns the packets after an offset, in order, with their rooms', () => {
        const buffer = new RecoveryBuffer({ maxPackets: 100, maxBytes: 1e6 });
        const first = push(buffer, 'a');
        push(buffer, 'b', 'p:1:x', 'sid-1');
        push(buffer, 'c');
        assert.deepEqual(texts(buffer, first), ['b', 'c']);
        assert.deepEqual(buffer.since(first)?.[0], { sequence: first + 1, packet: 'b', rooms: 'p:1:x', except: 'sid-1' });
        assert.deepEqual(texts(buffer, first + 2), [], 'a client that saw the newest packet missed nothing');
        assert.deepEqual(texts(buffer, first - 1), ['a', 'b', 'c'], 'the packet before the oldest was seen: nothing missing');
        assert.equal(buffer.since(first + 3), undefined, 'an offset from the future is unknown');
        assert.equal(buffer.since(Number.NaN), undefined);
    });

    it('keeps at most maxPackets, evicting the oldest on every append; an older offset cannot recover', () => {
        const buffer = new RecoveryBuffer({ maxPackets: 3, maxBytes: 1e6 });
        const sequences = ['a', 'b', 'c', 'd', 'e'].map(text => push(buffer, text));
        assert.deepEqual(buffer.usage.packets, 3);
        assert.equal(buffer.oldestSequence, sequences[2]);
        assert.deepEqual(texts(buffer, sequences[1]), ['c', 'd', 'e']);
        assert.equal(buffer.since(sequences[0]), undefined, 'packet b was evicted: the client must resync');
    });

    it('keeps at most maxBytes, counting each packet with its overhead', () => {
        const size = 10 + PACKET_OVERHEAD_BYTES;
        const buffer = new RecoveryBuffer({ maxPackets: 1000, maxBytes: size * 4 });
        for (let index = 0; index < 10; index++) {
            push(buffer, 'x'.repeat(10));
        }
        assert.deepEqual(buffer.usage, { packets: 4, bytes: size * 4 });
        assert.equal(buffer.oldestSequence, 6);
    });

    it('empties itself for a packet larger than maxBytes, so no earlier offset passes for complete', () => {
        const buffer = new RecoveryBuffer({ maxPackets: 1000, maxBytes: 200 });
        const before = push(buffer, 'small');
        const huge = push(buffer, 'x'.repeat(500));
        const after = push(buffer, 'next');
        assert.equal(buffer.since(before), undefined);
        assert.deepEqual(texts(buffer, huge), ['next'], 'a client that received the huge packet misses nothing after it');
        assert.deepEqual(texts(buffer, after), []);
    });

    it('grows its ring without losing order, across wrap-around', () => {
        const buffer = new RecoveryBuffer({ maxPackets: 1000, maxBytes: 1e9 });
        const all: string[] = [];
        for (let index = 0; index < 1500; index++) {
            push(buffer, `m${index}`);
            all.push(`m${index}`);
        }
        assert.deepEqual(texts(buffer, 499), all.slice(500));
        assert.deepEqual(texts(buffer, 1200), all.slice(1201));
    });

    it('frees packets only addressed to rooms that are gone and that no restorable session is in', () => {
        const buffer = new RecoveryBuffer({ maxPackets: 100, maxBytes: 1e6 });
        const start = push(buffer, 'to-a', 'sid-a');
        push(buffer, 'to-b', 'sid-b');
        push(buffer, 'to-room', 'r:1');
        push(buffer, 'to-a-again', 'sid-a');
        const bytesBefore = buffer.usage.bytes;
        buffer.release(new Set(['sid-a', 'sid-b']), new Set(['sid-b']));
        assert.deepEqual(texts(buffer, start - 1), ['to-b', 'to-room'], 'sid-b may still be restored; sid-a cannot');
        assert.equal(buffer.usage.bytes, bytesBefore - 2 * (PACKET_OVERHEAD_BYTES + 4) - 6);
        assert.equal(buffer.usage.packets, 4, 'slots stay, so offsets keep their meaning');
    });

    it('expires packets older than a sequence number', () => {
        const buffer = new RecoveryBuffer({ maxPackets: 100, maxBytes: 1e6 });
        ['a', 'b', 'c'].forEach(text => push(buffer, text));
        buffer.evictBefore(2);
        assert.deepEqual(texts(buffer, 1), ['c']);
        assert.equal(buffer.since(0), undefined);
    });
});
