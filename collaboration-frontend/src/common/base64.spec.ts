import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { base64Length, decodeBase64, encodeBase64 } from './base64';

describe('base64 for file chunks', () => {
    const samples = [new Uint8Array(0), Uint8Array.from([0]), Uint8Array.from([255, 254]), Uint8Array.from([...Array(256).keys()]), new Uint8Array(randomBytes(100_003))];

    for (const useBuffer of [true, false]) {
        it(`round-trips every byte value ${useBuffer ? 'with Node\'s Buffer' : 'with the browser\'s btoa/atob'}`, () => {
            for (const bytes of samples) {
                const text = encodeBase64(bytes, useBuffer);
                assert.equal(text.length, base64Length(bytes.byteLength));
                assert.deepEqual(decodeBase64(text, useBuffer), bytes);
                assert.equal(text, Buffer.from(bytes).toString('base64'));
            }
        });

        it(`refuses malformed input ${useBuffer ? 'with Buffer' : 'with atob'} instead of decoding part of it`, () => {
            for (const bad of ['abc', 'ab=c', 'a b=', '!!!!', 'YQ===']) {
                assert.throws(() => decodeBase64(bad, useBuffer), /not valid base64/, bad);
            }
        });
    }

    it('encodes a view into a larger buffer without its neighbours', () => {
        const backing = Uint8Array.from([1, 2, 3, 4, 5]);
        assert.equal(encodeBase64(backing.subarray(1, 3)), Buffer.from([2, 3]).toString('base64'));
    });
});
