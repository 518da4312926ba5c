import type { CancellationToken } from '@theia/core/lib/common/cancellation';
import URI from '@theia/core/lib/common/uri';
import type { FileSearchService } from '@theia/file-search/lib/common/file-search-service';
import { FindFiles, MAX_FIND_RESULTS } from '../../../common/workspace-messages';
import { ENSEMBLE_SCHEME, parseEnsembleUri, toEnsembleUri } from '../ensemble-uri';
import { HostRequests } from './host-requests';
import type { GuestWorkspaceMount } from './guest-workspace-mount';

/**
 * "Go to File" for guests. Theia's file search runs ripgrep in this window's
 * backend, which cannot see the host's disk; roots of the `ensemble` scheme
 * are searched by the host instead (`workspace/find-files`), every other
 * root by Theia's own service as before.
 */
export class GuestAwareFileSearchService implements FileSearchService {
    constructor(private readonly local: FileSearchService, private readonly mount: Pick<GuestWorkspaceMount, 'current'>) { }

    async find(searchPattern: string, options: FileSearchService.Options, token?: CancellationToken): Promise<string[]> {
        const rootUris = options.rootUris ?? [];
        const hostRoots = rootUris.filter(uri => uri.startsWith(`${ENSEMBLE_SCHEME}:`));
        const otherRoots = rootUris.filter(uri => !uri.startsWith(`${ENSEMBLE_SCHEME}:`));
        const mounted = this.mount.current;
        if (hostRoots.length === 0 || !mounted) {
            return this.local.find(searchPattern, options, token);
        }
        const [remote, local] = await Promise.all([
            this.findOnHost(searchPattern, options, hostRoots, mounted),
            otherRoots.length > 0 ? this.local.find(searchPattern, { ...options, rootUris: otherRoots }, token) : Promise.resolve([])
        ]);
        return token?.isCancellationRequested ? [] : [...remote, ...local];
    }

    private async findOnHost(query: string, options: FileSearchService.Options, hostRoots: string[],
        mounted: NonNullable<GuestWorkspaceMount['current']>): Promise<string[]> {
        const trimmed = query.trim();
        if (trimmed.length === 0) {
            return [];
        }
        const wanted = new Set(hostRoots.map(uri => this.rootNameOf(uri)).filter((name): name is string => name !== undefined));
        try {
            const { files } = await new HostRequests(mounted.session).call(FindFiles, {
                query: trimmed.slice(0, 256),
                limit: Math.min(options.limit ?? MAX_FIND_RESULTS, MAX_FIND_RESULTS),
                excludes: (options.excludePatterns ?? []).slice(0, 100).filter(glob => glob.length <= 256)
            });
            return files.filter(file => wanted.has(file.root)).map(file => toEnsembleUri(mounted.roomId, file).toString());
        } catch (error) {
            console.warn('Ensemble: searching the host\'s files failed', error);
            return [];
        }
    }

    private rootNameOf(uri: string): string | undefined {
        return parseEnsembleUri(new URI(uri))?.root;
    }
}
