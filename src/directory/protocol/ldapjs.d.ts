// ldapjs ships no type declarations; ldapjs-adapter.ts declares the shapes it uses.
declare module 'ldapjs';
