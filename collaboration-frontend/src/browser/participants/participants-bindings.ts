import { bindViewContribution } from '@theia/core/lib/browser/shell/view-contribution';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { WidgetFactory } from '@theia/core/lib/browser/widget-manager';
import type { interfaces } from '@theia/core/shared/inversify';
import { ParticipantsViewContribution } from './participants-view-contribution';
import { ParticipantsWidget } from './participants-widget';

export function bindParticipantsView(bind: interfaces.Bind): void {
    bind(ParticipantsWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({
        id: ParticipantsWidget.ID,
        createWidget: () => ctx.container.get(ParticipantsWidget)
    })).inSingletonScope();
    bindViewContribution(bind, ParticipantsViewContribution);
    bind(FrontendApplicationContribution).toService(ParticipantsViewContribution);
}
