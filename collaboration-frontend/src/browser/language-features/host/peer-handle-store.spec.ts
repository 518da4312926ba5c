import * as assert from 'node:assert/strict';
import { PeerHandleStore } from './peer-handle-store';

describe('language features: the host\'s handles for guests', () => {
    it('keeps each peer\'s last answers, disposes older ones, and bounds an answer', () => {
        const store = new PeerHandleStore<string>(2, 3);
        const disposed: string[] = [];
        const list = (name: string) => ({ dispose: () => disposed.push(name) });

        store.startAnswer('ana');
        const first = store.remember('ana', 'a1')!;
        store.keepAlive('ana', list('first'));
        store.startAnswer('ben');
        const bens = store.remember('ben', 'b1')!;
        assert.equal(store.get('ana', bens), undefined, 'a peer cannot use another\'s handle');
        assert.equal(store.get('ben', first), undefined);

        store.startAnswer('ana');
        const second = ['x', 'y', 'z', 'over'].map(entry => store.remember('ana', entry));
        assert.equal(second[3], undefined, 'an answer holds at most maxEntries');
        assert.equal(store.get('ana', first), 'a1', 'the previous answer still works');
        store.startAnswer('ana');
        assert.equal(store.get('ana', first), undefined, 'the oldest answer is gone');
        assert.deepEqual(disposed, ['first']);
        assert.equal(store.get('ana', second[0]!), 'x');

        store.keepAlive('ana', list('current'));
        store.forget('ana');
        assert.equal(store.get('ana', second[0]!), undefined);
        assert.deepEqual(disposed, ['first', 'current']);
        store.keepAlive('nobody', list('unowned'));
        assert.deepEqual(disposed, ['first', 'current', 'unowned'], 'a list nobody keeps is disposed at once');
        store.dispose();
        assert.equal(store.get('ben', bens), undefined);
    });
});
