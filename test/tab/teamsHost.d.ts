// Types of teamsHost.js (see there).
import type { Frame, Page } from 'playwright-core';

export interface HostOptions {
  /** Teams context locale ("fr-BE", "nl-BE", "en-US"). */
  locale: string;
  /** Teams theme name: default, dark, contrast. */
  theme?: string;
  /** The SSO token getAuthToken gives; null → getAuthToken fails. */
  token: string | null;
  tenantId?: string;
  userObjectId?: string;
  /** A frame that is not Teams: nobody answers teams-js. */
  silent?: boolean;
}

export declare const HOST_PATH: string;
/** Opens the tab at `origin` inside the test host; resolves once the host page has loaded. */
export declare function openInHost(page: Page, origin: string, options: HostOptions): Promise<void>;
/** No request leaves the machine: teams-js asks a Microsoft CDN for its list of host origins. */
export declare function offline(page: Page): Promise<void>;
/** Opens the tab at `origin` in the test host, offline, and resolves with its frame once the page has stopped loading. */
export declare function openTab(page: Page, origin: string, options: HostOptions): Promise<Frame>;
/** Pushes a theme change, as Teams does. */
export declare function switchTheme(page: Page, theme: 'default' | 'dark' | 'contrast'): Promise<void>;
