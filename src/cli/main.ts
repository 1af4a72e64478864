// The `strata` command: parses arguments (commander) and dispatches to one
// file per command. Errors become one line on stderr and a non-zero exit.

import { Command, InvalidArgumentError as CommanderArgError, Option } from 'commander';
import { strataVersion } from '../node/version';
import path from 'node:path';
import type { TargetOptions } from './settings-command';
import type { BackupOptions } from './backup-command';
import { addNamingCommands } from './naming-commands';
import { addDirectoryCommands } from './directory-commands';

// Each command's module is loaded when the command runs, not before: a
// `strata node` process then holds only the node's code (the CLI's other
// commands, `strata up` and its topology cost a running site ~7 MB of RSS).
const nodeCommand = () => import('./node-command');
const upCommand = () => import('./up/up-command');
const topologyModule = () => import('./up/topology');
const settingsCommand = () => import('./settings-command');
const backupCommand = () => import('./backup-command');
const identity = () => import('../node/identity');
const clock = async () => new (await import('../kernel/clock')).SystemClock();

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535 - 100) throw new CommanderArgError('expected a port number between 1 and 65435');
  return n;
}

/** --node NAME | --addr HOST:PORT | --data-dir D, and --ca: how every command finds its node and trusts it. */
function addTargetOptions(command: Command): Command {
  return command
    .addOption(new Option('--node <name>', 'node name, looked up in <data-dir>/endpoints.json (default: the core)').conflicts('addr'))
    .option('--addr <host:port>', "the node's gRPC address")
    .option('--data-dir <dir>', "where 'strata up' keeps its data", './strata-data')
    .option('--ca <file>', "the federation CA certificate (default: $STRATA_CA, else <data-dir>/ca.crt if there, else plaintext)")
    .option('--cert <file>', 'operator certificate, needed for changes (default: $STRATA_CERT, else <data-dir>/operator.crt if there)')
    .option('--key <file>', 'its key (default: $STRATA_KEY, else <data-dir>/operator.key)');
}

export function buildProgram(): Command {
  const program = new Command('strata')
    .description('Strata: DNS, LDAP and NTP at every tier of an edge federation, replicated over gRPC')
    .version(strataVersion())
    .showHelpAfterError();

  program
    .command('operator-cert')
    .description("make an operator key and certificate, for changes through the gRPC API (run where the core's data dir is)")
    .argument('<name>', 'who it is for (shown in logs)')
    .requiredOption('--out <dir>', 'where to write operator.key, operator.crt and ca.crt')
    .option('--core-data-dir <dir>', "the core's dataDir (default: <data-dir>/core)")
    .option('--data-dir <dir>', "where 'strata up' keeps its data", './strata-data')
    .action(async (name: string, opts: { out: string; coreDataDir?: string; dataDir: string }) => {
      // The name goes into the certificate and a directory name at the core: letters, digits and . _ @ - only.
      if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(name)) throw new CommanderArgError('expected an operator name of letters, digits, ".", "_", "@" and "-" (at most 64), e.g. jane or jane@corp.example');
      const { saveOperator, operatorCertificate } = await identity();
      saveOperator(path.resolve(opts.out), operatorCertificate(path.resolve(opts.coreDataDir ?? path.join(opts.dataDir, 'core')), name, await clock()));
      out(`wrote ${path.join(opts.out, 'operator.key')}, operator.crt and ca.crt; use them with --ca, --cert and --key, or STRATA_CA, STRATA_CERT and STRATA_KEY`);
    });

  program
    .command('join-token')
    .description("make a one-time token for a new node to enrol with (run where the core's data dir is)")
    .argument('<node>', 'name of the node that will use it')
    .option('--core-data-dir <dir>', "the core's dataDir (default: <data-dir>/core, as 'strata up' lays it out)")
    .option('--data-dir <dir>', "where 'strata up' keeps its data", './strata-data')
    .option('--ttl-hours <hours>', 'how long the token is valid', (v) => Number(v), 24)
    .addOption(new Option('--tier <tier>', "the node's tier (goes into its certificate)").choices(['regional', 'site']).default('site'))
    .requiredOption('--parents <names>', "the node's parents, primary first, comma-separated (go into its certificate: only these accept its link)")
    .option('--replace', 'the name is enrolled already: re-enrol it (moved or rebuilt node); its old certificate is revoked when the new one is issued')
    .action(async (node: string, opts: { coreDataDir?: string; dataDir: string; ttlHours: number; tier: 'regional' | 'site'; parents: string; replace?: boolean }) => {
      if (!/^[a-z][a-z0-9-]{0,62}$/.test(node)) throw new CommanderArgError('expected a node name (a lowercase DNS label)');
      const parents = opts.parents.split(',').map((p) => p.trim()).filter(Boolean);
      const { joinTokenFor } = await identity();
      out(joinTokenFor(path.resolve(opts.coreDataDir ?? path.join(opts.dataDir, 'core')), node, { tier: opts.tier, parents, replace: opts.replace ?? false }, Math.round(opts.ttlHours * 3600), await clock()));
    });

  program
    .command('node')
    .description('run one node from its YAML config file')
    .requiredOption('--config <file>', 'node configuration file')
    .option('--check', 'validate the file (every problem in it) and print what the node would run with; start nothing')
    .action(async (opts: { config: string; check?: boolean }) => {
      const { checkNodeConfig, runNode } = await nodeCommand();
      return opts.check ? out(checkNodeConfig(opts.config)) : runNode(opts.config);
    });

  program
    .command('up')
    .description('start a whole federation on loopback, one process per node (default: the demo topology)')
    .argument('[topology]', 'topology YAML file (see --print-topology)')
    .option('--base-port <port>', 'first port of the block the nodes use', port, 15300)
    .option('--data-dir <dir>', 'where node data, configs, logs and endpoints.json go', './strata-data')
    .option('--ready-timeout <ms>', 'how long to wait for every node to be ready', (v) => Number(v), 60000)
    .option('--print-topology', 'print the default topology as YAML and exit')
    .option('--check', 'validate the topology and every node config it makes; start nothing')
    .option('--sites <n>', 'instead of a topology: a generated tree of one core, --regionals regional nodes (r1, …) and N sites (s1, …) spread over them', (v) => Number(v))
    .option('--regionals <n>', 'regional nodes of the generated tree (with --sites)', (v) => Number(v), 3)
    .action(async (topology: string | undefined, opts: { basePort: number; dataDir: string; readyTimeout: number; printTopology?: boolean; check?: boolean; sites?: number; regionals: number }) => {
      if (opts.sites !== undefined && topology) throw new CommanderArgError('give a topology file or --sites, not both');
      const { DEFAULT_TOPOLOGY_YAML, generatedTopologyYaml } = await topologyModule();
      const { checkUp, runUp } = await upCommand();
      const generated = opts.sites !== undefined ? { text: generatedTopologyYaml(opts.regionals, opts.sites), source: `--sites ${opts.sites} --regionals ${opts.regionals}` } : undefined;
      if (opts.printTopology) return out((generated?.text ?? DEFAULT_TOPOLOGY_YAML).trimEnd());
      if (opts.check) return out(checkUp(topology, opts.basePort, opts.dataDir, generated));
      return runUp({ topologyFile: topology, topologyText: generated, basePort: opts.basePort, dataDir: opts.dataDir, readyTimeoutMs: opts.readyTimeout, out });
    });

  const settings = program.command('settings').description('federation-wide settings, owned by the core (set/rm are forwarded to it)');
  addTargetOptions(settings.command('set').description('set KEY to VALUE').argument('<key>').argument('<value>'))
    .action(async (key: string, value: string, opts: TargetOptions) => (await settingsCommand()).settingsSet(key, value, opts, out));
  addTargetOptions(settings.command('rm').description('remove KEY').argument('<key>'))
    .action(async (key: string, opts: TargetOptions) => (await settingsCommand()).settingsRm(key, opts, out));
  addTargetOptions(settings.command('get').description("KEY's value as the node sees it").argument('<key>'))
    .option('--json', 'machine-readable output')
    .action(async (key: string, opts: TargetOptions) => (await settingsCommand()).settingsGet(key, opts, out));
  addTargetOptions(settings.command('list').description('every setting (optionally under a prefix) as the node sees them').argument('[prefix]'))
    .option('--json', 'machine-readable output')
    .action(async (prefix: string | undefined, opts: TargetOptions) => (await settingsCommand()).settingsList(prefix, opts, out));

  addTargetOptions(program.command('revoke').description("revoke the certificates of a node, or of an operator (`revoke operator NAME`), at the core: every node refuses them on links and calls from then on").argument('<node|operator>').argument('[name]', 'the operator\'s name, after `operator`'))
    .option('--reason <text>', 'why (recorded with the revocation)', 'revoked by an operator')
    .action(async (first: string, second: string | undefined, opts: TargetOptions & { reason: string }) => {
      if (first === 'operator' && !second) throw new CommanderArgError('name the operator: strata revoke operator NAME');
      const { apiClient } = await import('./client');
      const { OPERATOR_PREFIX } = await import('../federation/client');
      const name = first === 'operator' ? `${OPERATOR_PREFIX}${second}` : first;
      const { serials } = await apiClient(opts).unary<{ serials: string[] }>('EnrolmentService', 'Revoke', { name, reason: opts.reason });
      out(`revoked ${name}: certificate${serials.length === 1 ? '' : 's'} ${serials.join(', ')}`);
    });

  addTargetOptions(program.command('backup').description("a consistent copy of a node's state (store, keys and certificates; at the core the CA), taken while it serves; operators only"))
    .requiredOption('--out <file>', 'where to write the archive (a .tar.gz; written 0600, it holds private keys)')
    .action(async (opts: BackupOptions) => (await backupCommand()).runBackup(opts, out));

  program
    .command('restore')
    .description("unpack a backup made by `strata backup` into a new data dir, for `strata node` to start from")
    .argument('<file>', 'the archive')
    .requiredOption('--data-dir <dir>', 'the new node data dir (must not hold a node yet)')
    .action(async (file: string, opts: { dataDir: string }) => (await backupCommand()).runRestore(file, opts.dataDir, out));

  program
    .command('core-group')
    .description('a highly available core group on etcd')
    .command('renew-epochs')
    .description("after etcd was restored from a snapshot: give every core dataset in etcd a new epoch, so nodes holding newer copies take the restored state instead of forking from it")
    .requiredOption('--etcd <endpoints>', 'etcd client endpoints, comma-separated (host:port)')
    .option('--prefix <prefix>', "the core group's key prefix (core.etcd.prefix)", '/strata/')
    .action(async (opts: { etcd: string; prefix: string }) => (await import('./core-group-command')).runRenewEpochs(opts.etcd.split(',').map((e) => e.trim()).filter(Boolean), opts.prefix, out));

  addNamingCommands(program, addTargetOptions, out);
  addDirectoryCommands(program, addTargetOptions, out, (line) => process.stderr.write(`${line}\n`));

  addTargetOptions(program.command('status').description('the federation as one node sees it: tree, link state, lag, last seen'))
    .option('--json', 'machine-readable output')
    .action(async (opts: { node?: string; addr?: string; dataDir: string; json?: boolean }) => (await import('./status-command')).runStatus({ ...opts, json: opts.json ?? false, out }));

  addTargetOptions(program.command('resolve').description('resolve a name as one node answers the DNS clients on its network').argument('<name>').argument('[type]', 'A, AAAA, CNAME, TXT, SRV, MX, PTR, NS, SOA', 'A'))
    .option('--json', 'machine-readable output')
    .action(async (name: string, type: string, opts: { node?: string; addr?: string; dataDir: string; json?: boolean }) => (await import('./resolve-command')).runResolve(name, type, { ...opts, json: opts.json ?? false, out }));

  addTargetOptions(program.command('time').description('time as one node serves it over NTP: synchronised, stratum, source, offset, dispersion'))
    .option('--json', 'machine-readable output')
    .action(async (opts: { node?: string; addr?: string; dataDir: string; json?: boolean }) => (await import('./time-command')).runTime({ ...opts, json: opts.json ?? false, out }));

  return program;
}

export async function main(argv: string[]): Promise<void> {
  // `strata … | head`: a reader that went away is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  await buildProgram().parseAsync(argv);
}
