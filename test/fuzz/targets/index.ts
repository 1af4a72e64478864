// Every parser fuzz target, in the order the runner reports them. Each is
// made on demand, in the worker process that fuzzes it.

import type { Target } from '../target';
import { backupArchiveTarget } from './backup-archive';
import { dnsQueryTarget } from './dns-query';
import { dnsResponseTarget } from './dns-response';
import { ldapTarget } from './ldap';
import { ldifTarget } from './ldif';
import { linkTarget } from './link';
import { nodeConfigTarget } from './node-config';
import { ntpTarget } from './ntp';
import { topologyTarget } from './topology';
import { zoneFileTarget } from './zone-file';

export const TARGETS: Record<string, () => Target> = {
  'dns-query': dnsQueryTarget,
  'dns-response': dnsResponseTarget,
  ldap: ldapTarget,
  ntp: ntpTarget,
  link: linkTarget,
  ldif: ldifTarget,
  'zone-file': zoneFileTarget,
  'node-config': nodeConfigTarget,
  topology: topologyTarget,
  'backup-archive': backupArchiveTarget,
};
