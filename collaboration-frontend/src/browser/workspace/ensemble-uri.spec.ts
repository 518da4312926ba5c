import * as assert from 'node:assert/strict';
import URI from '@theia/core/lib/common/uri';
import { ensembleWorkspaceUri, parseEnsembleUri, roomAuthority, toEnsembleUri } from './ensemble-uri';

describe('ensemble: URIs', () => {
    const room = 'Ab-Cd_EfGh12';

    it('round-trips shared paths, names with spaces and unicode included', () => {
        for (const target of [{ root: 'app', path: '' }, { root: 'app', path: 'src/index.ts' }, { root: 'my app (2)', path: 'docs/ünïcode file.md' }]) {
            const uri = toEnsembleUri(room, target);
            assert.equal(uri.scheme, 'ensemble');
            assert.deepEqual(parseEnsembleUri(new URI(uri.toString())), { roomId: roomAuthority(room), ...target });
        }
    });

    it('survives authorities lower-cased on the way (room ids are mixed-case base64url)', () => {
        const uri = toEnsembleUri(room, { root: 'app', path: 'a.txt' });
        const lowered = new URI(uri.toString().replace(uri.authority, uri.authority.toLowerCase()));
        assert.equal(parseEnsembleUri(lowered)?.roomId, roomAuthority(room));
    });

    it('rejects other schemes, the bare room, and paths that climb', () => {
        assert.equal(parseEnsembleUri(new URI('file:///app/a.txt')), undefined);
        assert.equal(parseEnsembleUri(new URI('ensemble://room/')), undefined);
        assert.equal(parseEnsembleUri(new URI('ensemble://room/app/a/../../etc/passwd').withPath('/app/a/../../etc/passwd')), undefined);
    });

    it('names the guest workspace after the session, without path separators', () => {
        assert.equal(ensembleWorkspaceUri(room, 'Hana\'s session').path.name, 'Hana\'s session');
        assert.equal(ensembleWorkspaceUri(room, 'a/b').path.name, 'a_b');
    });
});
