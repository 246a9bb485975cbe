// dcmjs ships no type declarations; ./dcmjs.ts gives the parts we use their types.
declare module 'dcmjs' {
  const dcmjs: unknown;
  export default dcmjs;
}
