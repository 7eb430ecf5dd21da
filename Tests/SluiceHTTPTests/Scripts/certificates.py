"""Makes the certificates the TLS tests use, with trustme, into the directory given.

    python3 certificates.py DIRECTORY

ca.pem                      the authority that signs everything below
server.pem, server-key.pem  for localhost and 127.0.0.1
renewed.pem, renewed-key.pem  a second server certificate, for the reload test
client.pem, client-key.pem  a client certificate, CN "sluice test client"
expired.pem, expired-key.pem  a client certificate that expired yesterday
untrusted.pem, untrusted-key.pem  a client certificate from another authority
"""
import datetime
import sys

import trustme

directory = sys.argv[1]
now = datetime.datetime.now(datetime.timezone.utc)


def write(name, cert):
    cert.cert_chain_pems[0].write_to_path(f"{directory}/{name}.pem")
    cert.private_key_pem.write_to_path(f"{directory}/{name}-key.pem")


ca = trustme.CA(organization_name="Sluice Test CA")
ca.cert_pem.write_to_path(f"{directory}/ca.pem")
write("server", ca.issue_cert("localhost", "127.0.0.1", common_name="localhost"))
write("renewed", ca.issue_cert("localhost", "127.0.0.1", common_name="renewed.localhost"))
write("client", ca.issue_cert("client@example.org", common_name="sluice test client", organization_name="Sluice, Tests"))
write("expired", ca.issue_cert(
    "expired@example.org", common_name="expired client",
    not_before=now - datetime.timedelta(days=30), not_after=now - datetime.timedelta(days=1)))
write("untrusted", trustme.CA().issue_cert("stranger@example.org", common_name="stranger"))
print("ok")
