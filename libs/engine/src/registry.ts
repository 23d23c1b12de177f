/**
 * Registry access, one client for all of it: the API's shapes and settings (registry-api.ts), the
 * authenticated requests (registry-request.ts, registry-auth.ts), and the operations
 * (registry-client.ts: hasTag, manifest digest, image config, registry-side tag copy).
 */
export * from './registry-api';
export * from './registry-client';
export * from './image-config';
export type { RegistryAccess } from './registry-auth';
