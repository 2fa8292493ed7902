/**
 * The page's hold on the lake. It asks `/api/info` until the lake answers; a running lake (`up`) is then followed
 * over Server-Sent Events (`LiveLink`), a folder read as it is by asking `/api/info` every few seconds
 * (`PollLink`). Either way the page learns `connecting`, `live` or `down`, and when the lake comes back after being
 * down, `onReconnect` lets the views load again.
 */
import { API, type ConsoleInfo } from '@lakehouse/console-api';
import { lakeApi } from './api';
import { LiveLink, PollLink, type LinkState } from './reconnect';

export const LIVE_EVENTS = ['backfill', 'metrics', 'state'] as const;

export interface ConnectionHandlers {
  onInfo(info: ConsoleInfo): void;
  onEvent(type: string, data: unknown): void;
  onState(state: LinkState, mode: ConsoleInfo['mode'] | null): void;
  onReconnect(): void;
}

export class LakeConnection {
  private link: LiveLink | PollLink | null = null;
  private info: ConsoleInfo | null = null;
  private wasDown = false;

  constructor(private readonly handlers: ConnectionHandlers) {}

  start(): void {
    this.poll();
  }

  /** A request just failed to reach the lake, or the user asked: try now rather than at the next turn. */
  retryNow(): void {
    this.link?.retryNow();
  }

  private poll(): void {
    this.link?.stop();
    const link: PollLink = new PollLink(
      () => lakeApi.info().then((info) => this.gotInfo(info, link)),
      (state) => this.stateOf(state),
    );
    this.link = link;
    link.start();
  }

  private follow(): void {
    this.link?.stop();
    const link = new LiveLink(API.events, LIVE_EVENTS, {
      onEvent: (type, data) => this.handlers.onEvent(type, data),
      onState: (state) => {
        this.stateOf(state);
        if (state.kind === 'down') this.checkMode(link);
      },
    });
    this.link = link;
    link.start();
  }

  private gotInfo(info: ConsoleInfo, from: PollLink | LiveLink): void {
    if (from !== this.link) return;
    const changed = JSON.stringify(info) !== JSON.stringify(this.info);
    this.info = info;
    if (changed) this.handlers.onInfo(info);
    if (info.mode === 'up' && from instanceof PollLink) this.follow();
    else if (info.mode === 'folder' && from instanceof LiveLink) this.poll();
  }

  /** A lake restarted on the same address may now be a folder, with no stream to follow. */
  private checkMode(from: LiveLink): void {
    lakeApi.info().then(
      (info) => this.gotInfo(info, from),
      () => undefined,
    );
  }

  private stateOf(state: LinkState): void {
    this.handlers.onState(state, this.info?.mode ?? null);
    if (state.kind === 'down') this.wasDown = true;
    if (state.kind === 'live' && this.wasDown) {
      this.wasDown = false;
      if (this.link instanceof LiveLink) this.checkMode(this.link);
      this.handlers.onReconnect();
    }
  }
}
