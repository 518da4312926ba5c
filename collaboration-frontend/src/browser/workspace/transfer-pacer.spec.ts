import * as assert from 'node:assert/strict';
import { TransferPacer } from './transfer-pacer';

describe('TransferPacer', () => {
    it('lets a burst through at once, then holds the rest back until the clock allows it', async () => {
        let now = 0;
        const pacer = new TransferPacer({ bytesPerSecond: 1000, burstBytes: 2000 }, () => now);
        await pacer.take(1500);
        await pacer.take(500);
        let third = false;
        const pending = pacer.take(1000).then(() => { third = true; });
        await new Promise(resolve => setImmediate(resolve));
        assert.equal(third, false, 'the bucket is empty: the third chunk waits');
        now = 1000; // one second later there is room for 1000 bytes
        await pending;
        assert.equal(third, true);
    });

    it('serves waiters in order', async () => {
        let now = 0;
        const pacer = new TransferPacer({ bytesPerSecond: 1000, burstBytes: 1000 }, () => now);
        await pacer.take(1000);
        const order: number[] = [];
        const first = pacer.take(800).then(() => order.push(1));
        const second = pacer.take(10).then(() => order.push(2));
        now = 2000;
        await Promise.all([first, second]);
        assert.deepEqual(order, [1, 2]);
    });
});
