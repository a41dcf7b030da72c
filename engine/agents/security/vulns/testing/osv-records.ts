/** OSV records in the real schema (https://ossf.github.io/osv-schema/) for import and match tests. */

export const LODASH_PROTOTYPE_POLLUTION = {
  schema_version: '1.6.0',
  id: 'GHSA-35jh-r3h4-6jhm',
  modified: '2024-03-01T00:00:00Z',
  published: '2021-05-06T16:05:51Z',
  aliases: ['CVE-2021-23337'],
  summary: 'Command Injection in lodash',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' }],
  affected: [
    {
      package: { ecosystem: 'npm', name: 'lodash', purl: 'pkg:npm/lodash' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }],
    },
  ],
  database_specific: { severity: 'HIGH' },
};

export const REQUESTS_LEAK = {
  id: 'PYSEC-2023-74',
  modified: '2023-06-01T00:00:00Z',
  aliases: ['CVE-2023-32681', 'GHSA-j8r2-6x86-q33q'],
  summary: 'Unintended leak of Proxy-Authorization header in requests',
  affected: [
    {
      package: { ecosystem: 'PyPI', name: 'Requests' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.3.0' }, { fixed: '2.31.0' }] }],
    },
  ],
  database_specific: { severity: 'MODERATE' },
};

export const XNET_HTTP2 = {
  id: 'GO-2024-2687',
  modified: '2024-04-04T00:00:00Z',
  aliases: ['CVE-2023-45288'],
  summary: 'HTTP/2 CONTINUATION flood in net/http',
  affected: [
    {
      package: { ecosystem: 'Go', name: 'golang.org/x/net' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '0.23.0' }] }],
    },
  ],
};

export const JACKSON_GADGET = {
  id: 'GHSA-jjjh-jjxp-wpff',
  modified: '2023-01-01T00:00:00Z',
  aliases: ['CVE-2022-42003'],
  summary: 'Uncontrolled Resource Consumption in jackson-databind',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' }],
  affected: [
    {
      package: { ecosystem: 'Maven', name: 'com.fasterxml.jackson.core:jackson-databind' },
      ranges: [
        { type: 'ECOSYSTEM', events: [{ introduced: '2.4.0-rc1' }, { fixed: '2.12.7.1' }] },
        { type: 'ECOSYSTEM', events: [{ introduced: '2.13.0' }, { fixed: '2.13.4.2' }] },
      ],
    },
  ],
};

export const WITHDRAWN = {
  id: 'GHSA-wwww-wwww-wwww',
  modified: '2024-01-01T00:00:00Z',
  withdrawn: '2024-01-02T00:00:00Z',
  summary: 'Withdrawn: not a vulnerability',
  affected: [
    {
      package: { ecosystem: 'npm', name: 'lodash' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }],
    },
  ],
};
