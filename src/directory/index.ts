// What the directory offers the rest of Strata (federation imports this file
// and ports.ts, nothing else of directory): DNs, the datasets the directory
// keeps, which attributes are credentials (never replicated to where they do
// not belong), and entries as they cross the API.

export { normalizeDn } from './data/dn';
export { DIR_DATASET_PREFIX, subtreeOfDataset } from './data/subtrees';
export { credentialFacts, credentialFilter, withheld, type CredentialFacts } from './security/credentials';
export type { DirEntry } from './data/entry';
export type * from './ports';
