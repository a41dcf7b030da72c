/** Waivers: grant, revoke and list those in force (issue 6). */
export {
  grantWaiver,
  revokeWaiver,
  listActiveWaivers,
  WaiverError,
  type Waiver,
  type GrantWaiverOptions,
  type RevokeWaiverOptions,
} from './waivers.ts';
