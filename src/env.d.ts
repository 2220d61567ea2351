/// <reference types="astro/client" />

declare namespace App {
  type SessionUser = import('./features/auth/session.server.ts').SessionUser;
  type SessionInfo = import('./features/auth/session.server.ts').SessionInfo;
  interface Locals {
    /** The signed-in user, or null (filled by src/middleware.ts). */
    user: SessionUser | null;
    session: SessionInfo | null;
  }
}
