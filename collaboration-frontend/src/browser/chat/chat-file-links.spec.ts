import '../test/enable-jsdom';
import * as assert from 'node:assert/strict';
import URI from '@theia/core/lib/common/uri';
import { candidateUris } from './chat-file-links';

describe('chat file links: where a path:line may point', () => {
    const host = [{ name: 'web', uri: new URI('file:///work/web') }, { name: 'api', uri: new URI('file:///work/api') }];
    const guest = [{ name: 'web', uri: new URI('ensemble://room/web') }];

    it('tries the folder a path names first, then the path in every shared folder', () => {
        assert.deepEqual(candidateUris({ path: 'api/src/main.ts', line: 3 }, host).map(uri => uri.toString()), [
            'file:///work/api/src/main.ts', 'file:///work/web/api/src/main.ts', 'file:///work/api/api/src/main.ts'
        ]);
        assert.deepEqual(candidateUris({ path: 'src/app.ts', line: 1 }, host).map(uri => uri.toString()), [
            'file:///work/web/src/app.ts', 'file:///work/api/src/app.ts'
        ]);
    });

    it('points a guest at the host\'s files through ensemble: URIs, and nowhere without shared folders', () => {
        assert.deepEqual(candidateUris({ path: 'src/app.ts', line: 1 }, guest).map(uri => uri.toString()), ['ensemble://room/web/src/app.ts']);
        assert.deepEqual(candidateUris({ path: 'src/app.ts', line: 1 }, []), []);
    });
});
