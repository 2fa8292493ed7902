/**
 * The lake's state in the header (a pill) and, while the lake doesn't answer, a banner that says so, counts down to
 * the next attempt and offers to retry now. When the lake is back the banner says so briefly.
 */
import type { ConsoleInfo } from '@lakehouse/console-api';
import { h } from '../dom';
import type { LinkState } from '../reconnect';

export class StatusBar {
  private countdown: ReturnType<typeof setInterval> | null = null;
  private hideTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly text = h('span');
  private readonly retry = h('button', { type: 'button', class: 'link-button', text: 'Retry now' });

  constructor(
    private readonly pill: HTMLElement,
    private readonly banner: HTMLElement,
    onRetry: () => void,
  ) {
    this.retry.addEventListener('click', onRetry);
    banner.append(this.text, ' ', this.retry);
  }

  update(state: LinkState, mode: ConsoleInfo['mode'] | null): void {
    this.stopTimers();
    const [label, cls] =
      state.kind === 'live'
        ? mode === 'folder'
          ? ['folder · not running', 'idle']
          : ['live', 'ok']
        : state.kind === 'down'
          ? ['lake stopped', 'err']
          : ['connecting…', 'wait'];
    this.pill.textContent = label;
    this.pill.className = `pill pill-${cls}`;
    if (state.kind === 'down') this.showDown(state.retryAt);
    else if (state.kind === 'live' && !this.banner.hidden) this.showBack();
  }

  private showDown(retryAt: number): void {
    this.banner.hidden = false;
    this.banner.className = 'banner banner-down';
    this.retry.hidden = false;
    const tick = () => {
      const s = Math.max(0, Math.ceil((retryAt - Date.now()) / 1000));
      this.text.textContent = `The lake does not answer: it may have stopped. The page reconnects when it is back${s > 0 ? ` (next try in ${s} s)` : ''}.`;
    };
    tick();
    this.countdown = setInterval(tick, 1000);
  }

  private showBack(): void {
    this.banner.className = 'banner banner-back';
    this.text.textContent = 'The lake is back: reconnected.';
    this.retry.hidden = true;
    this.hideTimer = setTimeout(() => (this.banner.hidden = true), 3000);
  }

  private stopTimers(): void {
    if (this.countdown) clearInterval(this.countdown);
    if (this.hideTimer) clearTimeout(this.hideTimer);
    this.countdown = this.hideTimer = null;
  }
}
