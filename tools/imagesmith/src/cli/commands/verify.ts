import { UsageError } from '@imagesmith/core';
import { verify } from '../../workflows/verify/verify';
import { log, type Command } from './command';

export const verifyCommand: Command = {
  options: {
    'public-key': {
      type: 'string',
      value: 'file',
      description:
        'the cosign public key to check with (default: COSIGN_PUBLIC_KEY, or signing.public_key in imagesmith.json)',
    },
  },
  async run({ root, positionals, values }) {
    if (positionals.length !== 1)
      throw new UsageError(
        'name exactly one image or image reference to verify, e.g. `imagesmith verify python-base` or `imagesmith verify 127.0.0.1:5000/acme/images/python-base:3.11-r0`',
      );
    const what = positionals[0]!;
    if (!what.trim()) throw new UsageError('verify needs an image name or reference, not ""');
    const publicKey = values['public-key'] as string | undefined;
    if (publicKey !== undefined && !publicKey.trim())
      throw new UsageError('--public-key needs a file (or leave it out)');
    // Prints a line per reference and check; a failed check throws (exit 1) naming it and why.
    await verify(root, what, { publicKey, log });
    return 0;
  },
};
