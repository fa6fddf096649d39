import Foundation
import NIOSSL

/// HTTPS for `baton serve` without a proxy: the PEM certificate chain and private key named by
/// ``ServiceConfiguration/tlsCertificate`` and ``ServiceConfiguration/tlsKey``, read and checked
/// when the service opens, so a wrong file stops the start with its name instead of failing the
/// first handshake.
///
/// TLS 1.2 is the lowest version offered (RFC 8996 retires 1.0 and 1.1; RFC 9325 §3.1.1), with
/// swift-nio-ssl's (BoringSSL's) default cipher suites. The key must not be readable by every user
/// of the machine, as PostgreSQL insists for its own `ssl_key_file`.
enum ServiceTLS {
    /// The server configuration, or ``ServiceError/configuration(file:key:problem:)`` naming the file.
    static func load(certificate: String, key: String) throws(ServiceError) -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMFile(certificate) } catch {
            throw .configuration(
                file: certificate, key: "tls_certificate",
                problem: "is not a readable PEM certificate chain (\(error)); give the server's certificate first, then its intermediates")
        }
        guard !chain.isEmpty else {
            throw .configuration(file: certificate, key: "tls_certificate", problem: "holds no `-----BEGIN CERTIFICATE-----` block")
        }
        try SecretFilePermissions.requirePrivate(key, key: "tls_key")
        let privateKey: NIOSSLPrivateKey
        do { privateKey = try NIOSSLPrivateKey(file: key, format: .pem) } catch {
            throw .configuration(
                file: key, key: "tls_key",
                problem: "is not a readable, unencrypted PEM private key (\(error)); decrypt it first, e.g. openssl pkey -in KEY -out KEY.plain")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        configuration.minimumTLSVersion = .tlsv12
        // Building the context checks that the key belongs to the certificate (BoringSSL's
        // SSL_CTX_check_private_key), here rather than at the first connection.
        do { _ = try NIOSSLContext(configuration: configuration) } catch {
            throw .configuration(
                file: key, key: "tls_key",
                problem: "does not match the certificate in \(certificate) (\(error)); give the key the certificate was issued for")
        }
        return configuration
    }
}
