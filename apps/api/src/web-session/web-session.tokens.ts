export const SESSION_CODEC = Symbol('SessionCodec');
