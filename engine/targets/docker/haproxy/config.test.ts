import { describe, expect, it } from 'vitest';
import { isHaproxyName, renderHaproxyConfig } from './config.ts';

const input = {
  adminSocket: '/tmp/ps/admin.sock',
  frontend: { address: '127.0.0.1', port: 18000 },
  exporter: { address: '127.0.0.1', port: 18404 },
  backend: 'be',
  healthPath: '/healthz',
};

describe('renderHaproxyConfig', () => {
  it('renders the admin socket, frontend, health-checked backend and exporter', () => {
    const cfg = renderHaproxyConfig({
      ...input,
      servers: [{ name: 'v1_0', address: '172.31.252.2', port: 8080, weight: 100 }],
    });
    expect(cfg).toContain('stats socket /tmp/ps/admin.sock mode 600 level admin');
    expect(cfg).toContain('bind 127.0.0.1:18000');
    expect(cfg).toContain('option httpchk GET /healthz');
    expect(cfg).toContain('server v1_0 172.31.252.2:8080 weight 100 check');
    expect(cfg).toMatch(/bind 127\.0\.0\.1:18404\n\s+http-request use-service prometheus-exporter/);
  });

  it('checks only that the port accepts connections for a service with no health route', () => {
    const cfg = renderHaproxyConfig({
      ...input,
      healthCheck: 'tcp',
      servers: [{ name: 'v1_0', address: '172.31.252.2', port: 8080, weight: 100 }],
    });
    expect(cfg).not.toContain('httpchk');
    expect(cfg).toContain('server v1_0 172.31.252.2:8080 weight 100 check');
  });

  it('is deterministic', () => {
    expect(renderHaproxyConfig(input)).toBe(renderHaproxyConfig({ ...input }));
  });

  it('refuses names HAProxy would reject', () => {
    expect(isHaproxyName('v1.2_0')).toBe(true);
    expect(isHaproxyName('v1 0')).toBe(false);
    expect(() => renderHaproxyConfig({ ...input, backend: 'be/x' })).toThrow(
      /not a valid HAProxy name/,
    );
  });
});
