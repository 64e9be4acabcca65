/**
 * The one module file both exporters load in the compatibility tests, byte for byte: module
 * keys follow blackbox_exporter's. `caFile` is the test CA.
 */
export function compatModulesYaml(caFile: string): string {
  return `modules:
  http_2xx:
    prober: http
    timeout: 5s
  http_post_2xx:
    prober: http
    timeout: 5s
    http:
      method: POST
  http_503:
    prober: http
    timeout: 5s
    http:
      valid_status_codes: [503]
  http_no_redirect:
    prober: http
    timeout: 5s
    http:
      follow_redirects: false
      valid_status_codes: [302]
  https_ca:
    prober: http
    timeout: 5s
    http:
      fail_if_not_ssl: true
      tls_config:
        ca_file: ${caFile}
  https_insecure:
    prober: http
    timeout: 5s
    http:
      tls_config:
        insecure_skip_verify: true
  tcp_connect:
    prober: tcp
    timeout: 5s
  tls_connect:
    prober: tcp
    timeout: 5s
    tcp:
      tls: true
      tls_config:
        ca_file: ${caFile}
  tls_insecure:
    prober: tcp
    timeout: 5s
    tcp:
      tls: true
      tls_config:
        insecure_skip_verify: true
`;
}
