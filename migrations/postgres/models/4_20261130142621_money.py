from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "dispute" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "stripe_version" BIGINT,
    "id" UUID NOT NULL PRIMARY KEY,
    "stripe_dispute_id" VARCHAR(255) NOT NULL UNIQUE,
    "amount" INT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "status" VARCHAR(32) NOT NULL,
    "reason" VARCHAR(64) NOT NULL,
    "opened_at" TIMESTAMPTZ NOT NULL,
    "payment_id" UUID NOT NULL UNIQUE REFERENCES "payment" ("id") ON DELETE RESTRICT
);
COMMENT ON COLUMN "dispute"."status" IS 'WARNING_NEEDS_RESPONSE: warning_needs_response\nWARNING_UNDER_REVIEW: warning_under_review\nWARNING_CLOSED: warning_closed\nNEEDS_RESPONSE: needs_response\nUNDER_REVIEW: under_review\nWON: won\nLOST: lost';
COMMENT ON TABLE "dispute" IS 'The payer''s dispute of a payment (Stripe allows one per charge).';
        CREATE TABLE IF NOT EXISTS "refund_attempt" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "id" UUID NOT NULL PRIMARY KEY,
    "amount" INT NOT NULL,
    "requested_amount" INT,
    "reason" VARCHAR(32),
    "idempotency_key" VARCHAR(255),
    "requested_by" VARCHAR(255) NOT NULL,
    "requested_at" TIMESTAMPTZ NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "error_code" VARCHAR(32),
    "error" TEXT,
    "payment_id" UUID NOT NULL REFERENCES "payment" ("id") ON DELETE RESTRICT,
    "refund_id" UUID UNIQUE REFERENCES "refund" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_refund_atte_payment_23a084" UNIQUE ("payment_id", "idempotency_key")
);
CREATE INDEX IF NOT EXISTS "idx_refund_atte_payment_ca7dd4" ON "refund_attempt" ("payment_id", "status");
COMMENT ON COLUMN "refund_attempt"."status" IS 'OPEN: open\nANSWERED: answered\nREFUSED: refused';
COMMENT ON TABLE "refund_attempt" IS 'A refund billgraph asked Stripe for, committed before asking.';
        ALTER TABLE "refund" DROP COLUMN "idempotency_key";"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "refund" ADD "idempotency_key" VARCHAR(255);
        DROP TABLE IF EXISTS "dispute";
        DROP TABLE IF EXISTS "refund_attempt";"""


MODELS_STATE = (
    "eJztXW1T27gW/isavlyYyzItlLaX3b0zAdw2u5Bwk9DuS3YcYYugwZFdWybN7Pa/3yPZjt"
    "9DHJLgBH2hjaQj28+RpXOeIx3/vTOyTWJ5B1cWZjsn6O8dhkcE/pMq30c72HHiUlHA8Y0l"
    "GzpRixuPu9jgUHaLLY9AkUk8w6UOp7boe6eBPGJZQg4JoQM0GNyTyWCAqIf4HUGe7BMZmG"
    "PLHiJqot1bl0BHjktG1B/to4ODg70fxcVM24CrUTZcYr99NhiITh2iPxDXg5uGLsQj3XuI"
    "cg91ZR26cm3TN/iBuA2f0a8+0bk9JHAhF27mz7+gmDKTfCNe9NO5128pscwUvnCHogdZof"
    "OJIwvP7rD7QTYVz3ijG7blj1iiuTPhdzabtofbFaVDwoiLOTET2DM/gCRRFNwtFHDXJ9Pb"
    "NOMCk9xi3xIaFNLBLcRlO7reavf0rtbT9Z2cdiOJhGLCIsNmYmRQxj2JwAh/0y3ChvwOfr"
    "598z24TgxE0Epc8HOjc/ap0dl9+2ZPXNAGXQRjrhXWHMqq77IL0G7QicQ9BtpwiYBGxzyP"
    "9znUcDoixZinJTPQm6HoQfSfRRQRFcSaiF+ddagCHtBsM2sSDoEZqug1L7Vur3F5JS438r"
    "yvlsSv0dNEzaEsnWRKd99m1DbtBH1p9j4h8RP90W5pEl7b40NXXjFu1/tjR9wT9rmtM3us"
    "YzMxWqPSCDVoGWvdd8wFtZ6WVFqvi9YjjBJqD+8+1np6+s5r/pQOm4wX6z0vm9E94DeHts"
    "PBWRtlD8VN/PCfw8Ojo3eHr47evj9+8+7d8ftX76GtvOF81bsZI+K0+bHZ6qUVLAq+p/Qg"
    "/62wukXtl7O8PTfkqQXu8NWrOVY4aFW6xMm6NL7JO8vB3CPfSoZ4RmwhtGs2vmdNXtpvvd"
    "S8FUG6e9n4bS81d120Wx+j5gkVnF20TzPIw4RFi2EvnViSIgtNKQsN8FernVAOX7959+b9"
    "0ds303lkWjJr+shPFXA1bOkmnngVIE0LKVCzoBq+6xJmVPIwkjLrm4d3fC+6lRVPxEdzTM"
    "NHpZPwUXYKtugInMI8wL90261igGOJrFFJDY7+QRb1VjZwd3669ZkhAEQ3PrU4Zd6BuN5/"
    "V4X9DLAFQrPn5ewUnDEURQfZefkWXDVf1FdQSFJGqWTpKsHwcA8FZuCpbVsEs2KdxEIZjd"
    "yA1KpUEdEf6wX9tN2+SIF+2swaINeXp1pn97XUADSivMTeFnRWRaAjkTXCPC3ZWJxDH9EJ"
    "KECdmlUW2ELhpdjgNeLzDo+P53F3jo/L3R1R9/27IE5v7xOMnii4wcb9GLumnqpJWOcuNY"
    "rWgNNQ7sOvHWLhEmM8wXhfiX420PX8Ho25qHSniCTxb6adPxGrbqKrbYJLjDX70C4bffmq"
    "0eEoW4IZHspHEtcWV8qNr5Jwy3TwzY656M603aORlzYjcfgCpJB9i3AYLGmyYM1Frj32RK"
    "xkgjwb8TvMEfkG9ogAMIPmU/vrs3AM3hDXQ2AAYYZsy0TyiUCEWhYCw8K2oBcuZAl1g97n"
    "C7r8GQAUzLCgVuI+YLmqhdbFX6VRmaIZ/fq6eV48oxdO4b5PzQMhs5rITMJslFcSf948h8"
    "0YOEwB2Zs0BeWjq5DMyyLnVUjmJWpdhWQ2JySTXAbn9ViSMlsYmnk/h6fyvtRPeZ9lBPHI"
    "9lnB3FY6vGOB9THYqx/XL5DEXtuIXTKHrRi69TNH4OEsyhvFolu3DWxptFEqRGPb976jV9"
    "xpl5bahhj5GjYkJPzteXFOiGzhTL2cfY05EjSNeB7uD7ZL6JD9SiYS9CbcIWZG0Wyd2d+7"
    "YWCXMXdQ7OLxlNhJDjJ4dnhiEkzQHXBrOs0zmKXLaeVVkoBnvsftkSSvchzgtG5/FgVoJF"
    "s9SgBq36DamiCbEeQQF/kecU/k5uhAo2gwEEUA1WCAPMK5RTyEEXRK0A3hY0IYwjkacCm9"
    "9plo8y8P3VLX44iPbeQSEPa4h3ZvbH4HP7FxF/GNYwolclc3oIaoSUaOzYXJ12cwZe8Lrj"
    "FsGXBFnry7CC3EbXvvqVu3FUmoSEJFFymSUGl9WSRhuEpUMR8TIsobmscbCt3IaCVczAnN"
    "SCvk50GejDCtxLtOBbbP+zw6nMf7hFblLNbhq4r7Q1ZpyJ9Tz/F5YSw/qpppxpuJRo9a8T"
    "0wex08kdZyKBhG3vFkRBhHu6Hpiy1LBN8ju9yAkTYkgd2bMuCX0aEypJUhrUwqZUgrrdfA"
    "kFbR9npE20MswzV1MVs7LaxM7XlMbRWDVzH4zYrBexxzv2AbtsBXY/4oF8fJTBWRdJ2R3v"
    "nS6LSarY96S9POu3pH6161W13tBIH/xQB5nRFiejosgw4gT/osan/dOtc60P5zU/sSt/bh"
    "5lxo/UDJOG57dtHuaudxK8OyPWL2Wfaa2Wulr5Hpu92CDm3WZ9B57wRBlzzrRM3n9c7l9M"
    "7webPDBkwYr2iBL38tY4k6D5VnDbcmAbYdwGMR8zkluIXW8+Zay3knKaQ5Cu2zciIiLbVe"
    "QuJ5FPsI+/AkLi6njbwq2oz0bPgz756GuJ9NVMDjmxpS42+efQ1PO7AUwll0XClGesZhpU"
    "SjxyjOcqwKaMY/k0GgxE4AuXfrr9yZoETjBLEFzVJVsUWVbKQoTEVh1nM53lAyS1GYL1Hr"
    "isLcHAqzDnsynhv4te3KmJp0jJf5I48fECjqQ9HGijZWtHENZo9lH92SA1B3ya1gLAumi0"
    "eGbkpSJdDLx+9eACvf0f533exoXf2q8ful1urpl1rvU/v8RO6/p2DRTZeUEfjcttlnU4mz"
    "dutDs3PZ6DUFQz5tD1q5pe5IZo1JtG6cZdphI2hx1Wmfad1us/XxBDmubRDPk+lButdnZ5"
    "p2Luh8zzcMQkzB5H9oNC9E0S2mlvh91midabLEEGqQZVeNTq/ZuLj4Xe9oHwS1D7UOdjnF"
    "ljWZDnpxb1Ft8kV4fl5/ZmbX8slzCzO7ppE+nuvU2vGMU2vH+VNrYiD5LoHh7Xl4WHAQtj"
    "yVboHoNoA+y49cRTrdcI9Dwfo18wxyUkwlsKt+DJmyB3vhg8hpYZXAbg7/IktOVwC9QHQb"
    "Jpo1gB6eItRNOiRegXM3K1Seldw+yFd0QLk88pdUjLC4nph6sCM7qY81/eQoX2bsiqfTMe"
    "fw9helma4OVSPoa5sQq3SwI2d0lIMaxZsfhzZxxmOzJoOZmFYIDoevYUFsOH5By0PDbtxm"
    "qZHhXOw3HTJXkV0V2a3/tLehMT4V2X2JWleR3c2J7IZYhjbmQhxASlbFGFWMUcUYa+DTLz"
    "nGuPYzBnWbnVcc65kVZCybfTchsFgbgOu2vb8ePv8yNvjPsWm/eirCxbft1wPYFWzcXzyP"
    "ScLwiIm/p9JdVZnEmk3oyyW9IhhKua8ETo9RYHpCSY/ngWmEmxbQDbWsoYudO4S9e2JGmQ"
    "9vbXcfGfZoRKFXaEWggIgmAE4+CcyTeuuzPmtyD1ETjfA98WRqxlAwEbpCUW5GlzgEi2/A"
    "iG++hA+NdvEtJ65IBSkOWEKNNyZwTYwMF3t34j/Cmbd9vid2eiBGwA2MbpqPqUF+ROM7ah"
    "Ekzt7tI8q9PgusZ7hv+OshPAR1Q9dj8Rka6iGL3HKR6YYHCXDEW1mWzCZLHj5+0CTdPlyz"
    "FdGoiMaaLl8bSjkpovElan0eolFRLculWsL9EOJtqIpskegWMbdLhFhxLaukAtQOrOfbgQ"
    "Uv/00lxLNyW0h2rRjv6vZOVnYLLZ7NtXDyhu3mHVCRiXEq+ow77SutdSLd+j5rtLpftI44"
    "shEQBNExjm50isNb7BDH67dzvImvs8qOX0RRlUn47Lq2C3CbBXvMZmR9Tklt3xKz/EVdIp"
    "aHuPzUxlRgG9Bd91kNFU1ZGk2V2+hbDdNZuy+qQFqrYxgqOrVaYNcfncqO8rwWKib2mnvP"
    "fx0H9qP4p97qlWf16vo3yafJhbBS9fuzIlhetuVqt3JXSuOloi4q6lLTaXlD+XcVdXmJWl"
    "fbuzdne7dK3LXGxF1J42exrfQFPagN9Zv9QbsXM/pr9Tn7l4D6ppH+1fHeAU+3cSEzQgHe"
    "2JL5oEQCqc/aCRJ5ox6IyPLU7enn15rI7STyNPjyOw5Xjea5+IKDg2lJdqhm66x9eXWh9U"
    "CSMsMeOcLFTpbr2m9XTRlkiOt18s2hbpBdKog2OHjRYMPySfDgTAvXHeJS29RBy251Z6uk"
    "jy00wDfX4M77WRm1kSKKrZLiwx6U2uutdjmfgY88U/EzE2iVdaGSaVVIphWtK4uwW2nRJb"
    "xwNXN9t+l9IyI95AJKTsopDddZw9LSXGT9TAkqHddZx46FqzI0CZE6u0wLuqgrygCXRjwP"
    "d/XIe9jNhoE9d9g9HmSrPRFaMUB8LfLanok9+zIQmwsQp+r3ZwWIfdFSNxJNHz3h+EWc08"
    "NI8NLijxl8lf6WYO67BFxz+SV6cV5RnCQMTNj8wcZFOhHnGWFoinOOk+B0oCz/l4ekUyzP"
    "MGLEyDisEIcJg9+uPUa7QgJblj0WQ7rPpAw04OjVHsLMhKYuAYWL/sHvImNsIVC/6cGtyK"
    "t5gLHoCbRh8ztxX9TrR+cdPcLFXYO8QQ7QYCCeaTAAUWuCjDvMhvL4pWv7wzvZGQw9kwpE"
    "sdVng8H1lZiH0cHBAYKxHSDyc/DPv9FX9OWT1tHinz/9jCw6onwwKD8YmYw0BKjKtzhJIm"
    "RPR6p4/LPG41VsaB08beJlmBfl5PuzfSgv//OsT2E7Fcu5UYZ7RLXPv5sgktia75qsYQdB"
    "zo5/RquzQwzbLUwqm6yew+Z045aPmpxtRoJsEWAADQai8b28GlhYBph0aDc8YiJ/iQwS+I"
    "GAlcbIXt7yfEJfMqEGgzVXyNKEVQi9MC/4cArCXmjgSZMajNNg39SPsjQYuH22K1bu/WwW"
    "jr0wTwcOU3HAVaA06ApMSQOQAXOTofEdkRfvs6Cdh1xpdgbggzyY0PfECSxi6CEogdfNhm"
    "VM3Dm8C5RRTqzJXAZkpe+3zrQ2lXmpzMu6GD7KvNxM8/KrjxmnvODUcqnRkRRRWSQKwmXK"
    "ZH8xJrvKtvAMy4I6a1GO/mbuui87a1ETX+0Lubmz7XvtgbDCLIip+pne2jhoqZNp07nctT"
    "DPoJQ6QL2p7wM+V7jLVFaBeQmOF/WC7H+B+wO3QB+IOyl03ZbQb5+Rb3D/1uQH4VOdgLtl"
    "+o5FDXhnkGV7YaJEKh09GRkQIzQo9LgtPCjb54YNr12J85Rzj+LtneHrrLyhZ/aGMmOlyi"
    "pYIKoOBcyzCEp4KgAdtV+VV/R88L6e64upr2d8MfV1/oup2KHlB7zKUc6IbZ9Bt3wPNJrE"
    "cyjPIr4TQqtyQdc6oJ/l/JxYwEeFuXtmbqlNiqlttBW20Tp4Ytm4YKT/0m23SuiAWCTrrV"
    "CDo3+QRb1NpFxmAC7ASAGeS+mTzd6TMVhEB9mUPpt3oAg8OYPAmxaNibmPFXW0M635OUgV"
    "FvQw/fy8PNETfH1eHhL62GoHJ4CGzHbzH57PugxzLcZLzzFW/mnQ8iy3CZGtCY0ujZ60xE"
    "myyhnF0lLbYNisO61Y9DoulLMyJaqIq7oTV6llP5pxF1B8VlbtvK9bNKAmFGWDuNS42ykg"
    "J8Oa/Vm0JI7brDKnVSWarnR1L2SJCtb1cKDXlyRayrpezsotQF88lbqo3aqyhq9dwktVAe"
    "Gw+RaiuxIaDq7IC9NalrvMCRHlMld0mZ91Mfv+f9Wwz3A="
)
