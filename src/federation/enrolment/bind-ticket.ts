// Bind tickets (DESIGN §7): "node S checked the password of dn, for node B",
// signed with S's node key and valid for minutes. A node that chained a bind
// up the tree (it is not trusted with the principal's hash) carries the
// ticket on the writes it forwards as that principal; the owner checks that
// S is a node of this CA, not revoked, and trusted with the hash itself.

import { sign, verify, X509Certificate } from 'node:crypto';
import { normalizeDn } from '../../directory';
import { verifiedSubject, type VerifiedSubject } from '../../kernel/x509';
import type { BindTicket, BindTicket__Output } from '../grpc/generated/strata/v1/BindTicket';
import type { PkiView } from './pki';

export const TICKET_TTL_MS = 10 * 60_000;
const VERSION = 'strata-bind-ticket-v1';

function payload(dn: string, bearer: string, expiresMs: number): Buffer {
  return Buffer.from(`${VERSION}\n${normalizeDn(dn)}\n${bearer}\n${expiresMs}`, 'utf8');
}

export function signTicket(identity: { keyPem: string; certPem: string }, dn: string, bearer: string, nowMs: number): BindTicket {
  const expiresMs = nowMs + TICKET_TTL_MS;
  return { dn, bearer, expiresMs, signerCertPem: identity.certPem, signature: sign('sha256', payload(dn, bearer, expiresMs), identity.keyPem) };
}

/** The signer of a valid ticket for `dn` carried by `bearer`; a string saying why not otherwise. */
export function checkTicket(ticket: BindTicket__Output, dn: string, bearer: string, caPem: string, pki: PkiView, nowMs: number): VerifiedSubject | string {
  const signer = verifiedSubject(ticket.signerCertPem, caPem, nowMs);
  if (!signer || signer.commonName.startsWith('operator:')) return 'the ticket is not signed by a node of this federation';
  if (pki.revoked(signer.serial)) return `the ticket's signer ${signer.commonName} has a revoked certificate`;
  let sameDn = false;
  try {
    sameDn = normalizeDn(ticket.dn) === normalizeDn(dn);
  } catch {
    sameDn = false;
  }
  if (!sameDn || ticket.bearer !== bearer) return `the ticket is for ${ticket.dn} at ${ticket.bearer}, not ${dn} at ${bearer}`;
  if (Number(ticket.expiresMs) < nowMs) return `the ticket expired at ${new Date(Number(ticket.expiresMs)).toISOString()}; bind again`;
  let valid = false;
  try {
    valid = verify('sha256', payload(ticket.dn, ticket.bearer, Number(ticket.expiresMs)), new X509Certificate(ticket.signerCertPem).publicKey, ticket.signature);
  } catch {
    valid = false;
  }
  return valid ? signer : 'the ticket signature does not match';
}
