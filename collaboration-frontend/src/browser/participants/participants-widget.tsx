import type { JoinDecision, JoinRequestInfo } from '@ensemble/collaboration-common';
import { codicon } from '@theia/core/lib/browser/widgets/widget';
import { ReactWidget } from '@theia/core/lib/browser/widgets/react-widget';
import { CommandService } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import React = require('@theia/core/shared/react');
import { JoinApprovalService } from '../join-approval/join-approval-service';
import { describeActivities } from '../peer-status/builtin-status-keys';
import { PeerStatusService } from '../peer-status/peer-status-service';
import { CollaborationSessionService } from '../session/collaboration-session-service';
import { SessionCommands } from '../session/session-commands';
import { describeState } from '../session/session-state-text';
import type { Participant } from './participant';

import '../../../src/browser/participants/participants.css';

/**
 * The Participants view: who is in the session, with colour, permission and
 * the file each one is in; follow, change permission, remove (host); and the
 * join requests waiting for the host's answer.
 */
@injectable()
export class ParticipantsWidget extends ReactWidget {
    static readonly ID = 'ensemble-participants';
    static readonly LABEL = 'Participants';

    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;
    @inject(JoinApprovalService) protected readonly approvals!: JoinApprovalService;
    @inject(CommandService) protected readonly commands!: CommandService;
    @inject(MessageService) protected readonly messages!: MessageService;
    @inject(PeerStatusService) protected readonly peerStatuses!: PeerStatusService;

    @postConstruct()
    protected init(): void {
        this.id = ParticipantsWidget.ID;
        this.title.label = ParticipantsWidget.LABEL;
        this.title.caption = 'Ensemble: the participants of the collaboration session';
        this.title.iconClass = codicon('organization');
        this.title.closable = true;
        this.addClass('ensemble-participants');
        this.node.tabIndex = 0;
        this.toDispose.pushAll([
            this.sessions.onDidChangeState(() => this.update()),
            this.sessions.onDidChangeParticipants(() => this.update()),
            this.sessions.onDidChangeJoinRequests(() => this.update()),
            this.sessions.onDidChangeFollowing(() => this.update())
        ]);
        this.update();
    }

    protected render(): React.ReactNode {
        if (this.sessions.session === undefined) {
            return this.renderNoSession();
        }
        const participants = this.sessions.participants;
        const requests = this.sessions.joinRequests;
        return <div className='ensemble-participants-content'>
            <div className='ensemble-participants-state'>{describeState(this.sessions.state).tooltip}</div>
            {this.sessions.invite && <div className='ensemble-participants-invite'>
                <span title={this.sessions.invite.link}>Invite: <code>{this.sessions.invite.code}</code></span>
                <button className='theia-button secondary' data-action='copy-invite' onClick={() => this.commands.executeCommand(SessionCommands.COPY_INVITE.id)}>Copy Invite</button>
            </div>}
            {this.sessions.isHost && this.renderJoinRequests(requests)}
            <div className='ensemble-participants-section-title'>In the session ({participants.length})</div>
            <ul className='ensemble-participants-list'>
                {participants.map(participant => this.renderParticipant(participant, participants))}
            </ul>
        </div>;
    }

    protected renderNoSession(): React.ReactNode {
        const state = this.sessions.state;
        return <div className='ensemble-participants-content ensemble-participants-empty'>
            <p>{state.kind === 'closed' ? state.message : 'No collaboration session.'}</p>
            <p>Host a session to work on this workspace with others, or join one with an invite.</p>
            <div className='ensemble-participants-buttons'>
                <button className='theia-button' data-action='start' onClick={() => this.commands.executeCommand(SessionCommands.START.id)}>Start Session</button>
                <button className='theia-button secondary' data-action='join' onClick={() => this.commands.executeCommand(SessionCommands.JOIN.id)}>Join Session</button>
            </div>
        </div>;
    }

    protected renderJoinRequests(requests: readonly JoinRequestInfo[]): React.ReactNode {
        return <div className='ensemble-join-requests'>
            <div className='ensemble-participants-section-title'>Waiting to join ({requests.length})</div>
            {requests.length === 0
                ? <div className='ensemble-participants-hint'>Nobody is waiting. Share the invite to let people ask to join.</div>
                : <ul className='ensemble-participants-list'>
                    {requests.map(request => <li key={request.requestId} className='ensemble-join-request' data-request-name={request.displayName}>
                        <span className={codicon('person-add')} />
                        <span className='ensemble-participant-name'>{request.displayName}</span>
                        <span className='ensemble-participant-actions'>
                            {this.button('accept', 'Accept', 'Admit with permission to edit', () => this.answer(request, 'read-write'))}
                            {this.button('accept-read-only', 'Read-Only', 'Admit read-only: can look, cannot edit', () => this.answer(request, 'read-only'))}
                            {this.button('deny', 'Deny', 'Refuse this request', () => this.answer(request, 'deny'))}
                        </span>
                    </li>)}
                </ul>}
        </div>;
    }

    protected renderParticipant(participant: Participant, all: readonly Participant[]): React.ReactNode {
        const isHostView = this.sessions.isHost;
        const followed = this.sessions.followedPeerId === participant.peerId;
        const followsName = participant.following ? all.find(p => p.peerId === participant.following)?.name : undefined;
        return <li key={participant.peerId} className='ensemble-participant' data-peer-name={participant.name} data-role={participant.role}>
            <span className='ensemble-participant-color' style={{ backgroundColor: participant.color }} title={`Colour of ${participant.name}`} />
            <div className='ensemble-participant-main'>
                <div>
                    <span className='ensemble-participant-name'>{participant.name}</span>
                    {participant.isSelf && <span className='ensemble-participant-self'> (you)</span>}
                    <span className={`ensemble-participant-role ensemble-role-${participant.role}`}>{roleLabel(participant.role)}</span>
                </div>
                <div className='ensemble-participant-location' title={participant.activeDocument ?? 'No file open'}>
                    {participant.activeDocument ? <><span className={codicon('file')} /> {participant.activeDocument}</> : <span className='ensemble-participants-hint'>no file open</span>}
                </div>
                {followsName && <div className='ensemble-participant-following ensemble-participants-hint'><span className={codicon('eye')} /> following {followsName}</div>}
                {this.renderActivities(participant)}
            </div>
            <span className='ensemble-participant-actions'>
                {!participant.isSelf && this.button(followed ? 'unfollow' : 'follow', followed ? 'Unfollow' : 'Follow',
                    followed ? `Stop following ${participant.name}` : `Follow ${participant.name}: your editor goes where they go`,
                    () => this.sessions.follow(followed ? undefined : participant.peerId))}
                {isHostView && !participant.isSelf && participant.role !== 'host' && this.button(
                    participant.role === 'read-only' ? 'make-read-write' : 'make-read-only',
                    participant.role === 'read-only' ? 'Allow Editing' : 'Make Read-Only',
                    participant.role === 'read-only' ? `Let ${participant.name} edit` : `${participant.name} can then look but not edit`,
                    () => this.sessions.setPeerRole(participant.peerId, participant.role === 'read-only' ? 'read-write' : 'read-only'))}
                {isHostView && !participant.isSelf && participant.role !== 'host' && this.button('remove', 'Remove',
                    `Remove ${participant.name} from the session`, () => this.sessions.removePeer(participant.peerId))}
            </span>
        </li>;
    }

    /** The built-in status keys (typing in chat, away), in words. */
    protected renderActivities(participant: Participant): React.ReactNode {
        const activities = describeActivities(this.peerStatuses.statusOf(participant.peerId));
        return activities.length > 0 && <div className='ensemble-participant-activities ensemble-participants-hint'>{activities.join(' · ')}</div>;
    }

    protected button(action: string, label: string, title: string, run: () => unknown): React.ReactNode {
        return <button className='theia-button secondary ensemble-participant-button' data-action={action} title={title}
            onClick={() => this.runAction(label, run)}>{label}</button>;
    }

    protected async runAction(label: string, run: () => unknown): Promise<void> {
        try {
            await run();
        } catch (error) {
            this.messages.error(`${label} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
    }

    protected answer(request: JoinRequestInfo, decision: JoinDecision): Promise<boolean> {
        return this.approvals.answer(request, decision);
    }
}

function roleLabel(role: Participant['role']): string {
    return role === 'host' ? 'host' : role === 'read-only' ? 'read-only' : 'can edit';
}
