import { HostWorkspaceServiceImpl } from '../host-workspace-service-impl';
import { createTempWorkspace, ok, type TempWorkspace } from './temp-workspace';

/** A fresh temp workspace shared as the root `ws` by a new service: what most specs start from. */
export interface SharedWorkspace {
    readonly temp: TempWorkspace;
    readonly service: HostWorkspaceServiceImpl;
}

export async function openSharedWorkspace(excludedGlobs: readonly string[]): Promise<SharedWorkspace> {
    const temp = await createTempWorkspace();
    const service = new HostWorkspaceServiceImpl();
    ok(await service.setSharedRoots([{ name: 'ws', uri: temp.wsUri }], { excludedGlobs }));
    return { temp, service };
}

export async function closeSharedWorkspace({ temp, service }: SharedWorkspace): Promise<void> {
    service.dispose();
    await temp.remove();
}
