#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <arpa/inet.h>
#include <string.h>

/// SSL_CTX_set_min_proto_version is a macro too: TLS 1.2 at least.
static inline int pulse_ssl_require_tls12(SSL_CTX *context) {
    return (int)SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
}

/// SSL_set_tlsext_host_name is a macro Swift cannot import.
static inline int pulse_ssl_set_server_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

/// Checks the peer's certificate against `host`: an IP address literal against the
/// certificate's IP addresses, anything else against its DNS names.
static inline int pulse_ssl_expect_host(SSL *ssl, const char *host) {
    unsigned char address[16];
    if (inet_pton(AF_INET, host, address) == 1 || inet_pton(AF_INET6, host, address) == 1) {
        return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host);
    }
    return SSL_set1_host(ssl, host);
}

/// The text of the newest error on OpenSSL's queue (emptying it), or "" if there is none.
static inline void pulse_ssl_last_error(char *buffer, size_t size) {
    unsigned long code = 0, newest = 0;
    while ((code = ERR_get_error()) != 0) newest = code;
    if (newest == 0) { if (size > 0) buffer[0] = 0; return; }
    ERR_error_string_n(newest, buffer, size);
}
