// The real clients the conformance suite drives, and the Debian package that
// provides each, so a missing one is reported as "apt-get install -y PKG".

import { spawnSync } from 'node:child_process';

export const TOOL_PACKAGES: Record<string, string> = {
  dig: 'bind9-dnsutils',
  kdig: 'knot-dnsutils',
  ldapwhoami: 'ldap-utils',
  ldapsearch: 'ldap-utils',
  ldappasswd: 'ldap-utils',
  ldapmodify: 'ldap-utils',
  chronyd: 'chrony',
  sntp: 'sntp',
  unbound: 'unbound',
  promtool: 'prometheus',
  curl: 'curl',
  'systemd-analyze': 'systemd',
  etcd: 'etcd-server',
  chromium: 'chromium',
};

/** Python modules the conformance suite imports (with Debian's python3), and their packages. */
export const PYTHON = '/usr/bin/python3'; // Debian's, which sees python3-* packages (a pyenv or venv python would not)
export const PYTHON_MODULE_PACKAGES: Record<string, string> = { 'google.protobuf': 'python3-protobuf', ntplib: 'python3-ntplib' };

/** Throws one message naming the packages of the Python modules that cannot be imported. */
export function requirePythonModules(modules: string[]): void {
  const missing = modules.filter((m) => spawnSync(PYTHON, ['-c', `import ${m}`], { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map((m) => PYTHON_MODULE_PACKAGES[m] ?? `python3-${m}`))];
  throw new Error(`missing Python module ${missing.join(', ')} for ${PYTHON}: install with \`apt-get install -y ${packages.join(' ')}\``);
}

/** Tools only the benchmarks use (not installed by .ci/run). */
export const BENCH_TOOL_PACKAGES: Record<string, string> = { dnsperf: 'dnsperf', slapd: 'slapd', slapadd: 'slapd' };

export function hasTool(tool: string): boolean {
  const probe = spawnSync('sh', ['-c', `command -v ${tool} || test -x /usr/sbin/${tool}`], { stdio: 'ignore' });
  return probe.status === 0;
}

/** Throws one message listing every missing tool and the packages to install. */
export function requireTools(tools: string[]): void {
  const missing = tools.filter((t) => !hasTool(t));
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map((t) => TOOL_PACKAGES[t] ?? BENCH_TOOL_PACKAGES[t] ?? t))];
  throw new Error(`missing ${missing.join(', ')}: install with \`apt-get install -y ${packages.join(' ')}\``);
}
