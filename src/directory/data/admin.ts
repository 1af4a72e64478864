// Directory administration over gRPC (`strata ldif`, `strata user`): entries
// put or deleted at their owners and listed as held here. These calls act as
// the directory admin; the gRPC layer lets only operators make them
// (federation/caller-identity.ts).

import { InvalidArgumentError, NotFoundError, StrataError, UnavailableError } from '../../kernel/errors';
import type { Mutation } from '../../store';
import { checkedEntry } from '../operations/add';
import { writeAt, type DirectoryContext } from '../operations/context';
import { locate } from '../operations/target';
import { entryMutations, PASSWORD_FLAG } from '../security/credentials';
import { PASSWORD_ATTR, valuesOf, withValues } from './entry';
import { normalizeDn } from './dn';
import type { DirEntry } from './entry';
import { RC, type Outcome } from '../protocol/result-code';
import type { Place } from './subtrees';

function refuse(outcome: Outcome, dn: string): never {
  const message = `${dn}: ${outcome.message ?? `LDAP result ${outcome.code}`}`;
  if (outcome.code === RC.noSuchObject) throw new NotFoundError(message);
  if (outcome.code === RC.unavailable) throw new UnavailableError(message);
  throw new InvalidArgumentError(message);
}

export async function putEntries(ctx: DirectoryContext, entries: DirEntry[], replace: boolean): Promise<{ added: number; replaced: number }> {
  const batches = new Map<string, { place: Place; mutations: Mutation[] }>();
  let added = 0;
  let replaced = 0;
  for (const given of entries) {
    const located = locate(ctx, given.dn);
    if (!located.ok && located.outcome.code !== RC.referral) refuse(located.outcome, given.dn);
    const place = located.ok ? located.place : ctx.tree.place(given.dn)!;
    const checked = await checkedEntry(given.dn, given.attrs);
    if ('code' in checked) refuse(checked, given.dn);
    const current = ctx.tree.get(given.dn);
    // An entry given without userPassword (an export without --secrets) keeps the password it has.
    const entry = current && valuesOf(checked, PASSWORD_ATTR).length === 0 ? withValues(checked, PASSWORD_FLAG, valuesOf(current, PASSWORD_FLAG)) : checked;
    if (current && !replace) throw new InvalidArgumentError(`${given.dn} already exists; use --replace to overwrite it`);
    if (current) replaced++;
    else added++;
    const batch = batches.get(place.dataset) ?? { place, mutations: [] };
    const mutations = entryMutations(normalizeDn(given.dn), entry, current);
    // Replacing an entry not held here (another node's subtree): the owner's copy, whatever it is, is replaced.
    if (replace && !current) delete mutations[0]!.expect;
    batch.mutations.push(...mutations);
    batches.set(place.dataset, batch);
  }
  for (const { place, mutations } of batches.values()) {
    try {
      await writeAt(ctx, place, mutations);
    } catch (err) {
      if (err instanceof StrataError && err.code === 'ALREADY_EXISTS' && !replace) throw new StrataError(err.code, `${err.message}; use --replace to overwrite it`, { cause: err });
      throw err;
    }
  }
  return { added, replaced };
}

export async function deleteEntry(ctx: DirectoryContext, dn: string): Promise<void> {
  const located = locate(ctx, dn);
  if (!located.ok) refuse(located.outcome, dn);
  const entry = ctx.tree.get(located.norm);
  if (!entry) throw new NotFoundError(`no entry ${dn} at ${ctx.ports.nodeName}`);
  if (ctx.tree.hasChildren(located.norm)) throw new InvalidArgumentError(`${dn} has children; delete them first`);
  await writeAt(ctx, located.place, entryMutations(located.norm, undefined, entry));
}

/** Entries under `base` held here, parents first; userPassword only with `secrets`. */
export function listEntries(ctx: DirectoryContext, base: string, secrets: boolean): DirEntry[] {
  const root = base || ctx.tree.baseDn();
  if (root === undefined) return [];
  const norm = normalizeDn(root);
  return ctx.tree.search(norm, 'sub', { secrets }).map(({ entry: e }) => ({ dn: e.dn, attrs: Object.fromEntries(Object.entries(e.attrs).filter(([name]) => !name.startsWith('_') && (secrets || name.toLowerCase() !== 'userpassword'))) }));
}
