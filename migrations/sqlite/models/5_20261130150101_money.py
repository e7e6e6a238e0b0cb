from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "dispute" (
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "stripe_version" BIGINT,
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "stripe_dispute_id" VARCHAR(255) NOT NULL UNIQUE,
    "amount" INT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "status" VARCHAR(32) NOT NULL /* WARNING_NEEDS_RESPONSE: warning_needs_response\nWARNING_UNDER_REVIEW: warning_under_review\nWARNING_CLOSED: warning_closed\nNEEDS_RESPONSE: needs_response\nUNDER_REVIEW: under_review\nWON: won\nLOST: lost */,
    "reason" VARCHAR(64) NOT NULL,
    "opened_at" TIMESTAMP NOT NULL,
    "payment_id" CHAR(36) NOT NULL UNIQUE REFERENCES "payment" ("id") ON DELETE RESTRICT
) /* The payer's dispute of a payment (Stripe allows one per charge). */;
        CREATE TABLE IF NOT EXISTS "refund_attempt" (
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "amount" INT NOT NULL,
    "requested_amount" INT,
    "reason" VARCHAR(32),
    "idempotency_key" VARCHAR(255),
    "requested_by" VARCHAR(255) NOT NULL,
    "requested_at" TIMESTAMP NOT NULL,
    "status" VARCHAR(16) NOT NULL /* OPEN: open\nANSWERED: answered\nREFUSED: refused */,
    "error_code" VARCHAR(32),
    "error" TEXT,
    "payment_id" CHAR(36) NOT NULL REFERENCES "payment" ("id") ON DELETE RESTRICT,
    "refund_id" CHAR(36) UNIQUE REFERENCES "refund" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_refund_atte_payment_23a084" UNIQUE ("payment_id", "idempotency_key")
) /* A refund billgraph asked Stripe for, committed before asking. */;
CREATE INDEX IF NOT EXISTS "idx_refund_atte_payment_ca7dd4" ON "refund_attempt" ("payment_id", "status");
        ALTER TABLE "refund" DROP COLUMN "idempotency_key";"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "refund" ADD "idempotency_key" VARCHAR(255);
        DROP TABLE IF EXISTS "refund_attempt";
        DROP TABLE IF EXISTS "dispute";"""


MODELS_STATE = (
    "eJztXW1z2zYS/isYf6k953piJ05ybnszsswkam3JJ8lJe1WHgklYwpgCFYK0omnz328Bku"
    "K7LMqSTMn44kTALkg+CwL7gl3+vTeyTWLxo2sLs70z9PcewyMC/0m0H6I9PB5HraLBxbeW"
    "JByHFLfcdbDhQtsdtjiBJpNww6Fjl9pi7L0a4sSyBB8STEeo378n034fUY7cIUFcjokM7G"
    "LLHiBqov07h8BAY4eMqDc6REdHRwc/iYuZtgFXo2ywwnF7rN8Xg46J/kAcDjcNQ4hHuueI"
    "uhx1ZB+6dmzTM9wjcRseo189orv2gMCFHLiZP/+CZspM8o3w8Of4Xr+jxDIT+MIdihFkh+"
    "5Ox7KxPsTOB0kqnvFWN2zLG7EY+XjqDm02o4fbFa0DwoiDXWLGsGeeD0msyb9baHAdj8xu"
    "04waTHKHPUtIUHD7txC17el6s9XVO1pX1/cy0g05YoIJmgybiZlBmcslAiP8TbcIG7hD+P"
    "n2zXf/OhEQPpW44Odau/6p1t5/++ZAXNAGWfhzrhn0nMiu73IIkK4/iMQ9AtpwiIBGx24W"
    "7wvocemI5GOe5ExBbwasR+F/lhFE2BBJInp1NiEKeECzxaxpMAXmiKLbuNI63drVtbjciP"
    "OvlsSv1tVEz4lsnaZa99+mxDYbBH1pdD8h8RP9r9XUJLw2dweOvGJE1/3fnrgn7Lm2zuyJ"
    "js3YbA1bQ9SAMpK6NzaXlHqSU0m9KlIPMYqJPbj7SOrJ5Tsr+XM6aDA3X+5Z3pTsAb8FpB"
    "1MzsoIeyBu4sd/n5y8fv3u5NXrt+9P37x7d/r+1XuglTec7Xo3Z0acNz42mt2kgEXD94Qc"
    "5L8ldreQfjXb23NDntjgTl69WmCHA6rCLU72JfGN31kG5i75VjDFU2xLoV2x+T1v8dJ+7y"
    "bWrRDS/ava7weJteuy1fwYksdEUL9snaeQhwWL5sNeuLDEWZZaUpaa4K/Wu6CcHL959+b9"
    "67dvZuvIrGXe8pFdKuBq2NJNPOUlIE0yKVDToBqe4xBmlLIw4jybW4f3PB7eypoX4tcLLM"
    "OvCxfh1+kl2KIjMAqzAP/aaTXzAY440kolNVz0D7IoX9vE3fv5zmOGABDdetRyKeNH4nr/"
    "WRf2c8AWCM1fl9NLcEpRFAOk1+U7MNU80V9CIHEeJZKViwTDwz3kqIHntm0RzPJlEjGlJH"
    "ILXOsSRej+2Czo563WZQL080ZaAbm5Otfa+8dSAkBE3QJ9W7izSgIdsmwQ5lnL1uIc2Ihj"
    "3wWoU7PMBpvLvBIdvEL+vJPT00XMndPTYnNH9H3/Lhynd/cxj55ouMXG/QQ7pp7oiWnnDj"
    "Xy9oDzgO/Db21i4QJlPObxvhbjbKHp+T2cc2HrXp6TxLudDf5ErDqxoXYJLjHX7BO7aPZl"
    "u0Yno3QLZnggH0lcW1wpM78Kwi2zyTc/5qKPZ3SPRl5ajEThC+BC9h3CMljyA0fBgnSIJk"
    "MQ3QNxZLTjHmRyBkQm5sNbG54aeZw4mdjLykbusRGeImyaaELIvTVFtoNsRn4UTlbkv9di"
    "HGoMEXYIGlHHsR1igu7kIibH5rZlon1OiAjkwFzl2CL9/sERajBfq0COPeEiGjQFWuTCPS"
    "HyDTQueBQUvBS3xOFwWYQZgtF6TF4YWKhlIVB1bAtGcQUvoY4fbFosDPSnLzJ/zYeJRpwH"
    "LPfZQN/5qzBOlLfH3Nw0LvL3mNxNxfOoeSR41hMriimy8kriz5vn0GJ9E853P8eVU/noKk"
    "j0ssIFKkj0EqWugkTbEySSkJWwn0L6DTonHSK8ogK6jRhPx28XsJ2O069OZDqJriTGcVVj"
    "UZzjPDsYkHu/AMbvCyF+X4QwAOixnH2kcCnJMm5sKTle7zqysjAGHpXENGLYXExo/evyCw"
    "wLbWw1WHFUSPm8N++LBQt9WU9sxLpzBytX5ohNBD1t+94b6yXPria5duHUyQaO+MT8RYvi"
    "HGPZwZV6NSeFM2GFJOJZuD/YDqED9huZStAbcIeYGXmrderE/JaBXeQLh2YHT2aOyfgkg2"
    "eHJyb+At0Gs7zdqMMqXRyoWadbve5x1x5J52vGqz7rO5znVDfiVI+61LVv0C3c1IygMXGk"
    "D/tMphv4EkX9vmgCqPp9xInrWoQjjGBQgm6JOyGEIZxxp69k1B4TND9wdEcd7iJ3YiOHAD"
    "N3Odq/td0h/MTGMPTbTyi0yDwJQA1Rk4zGtitUvh6DJftQ+MoDSt/XyeXdhWgh17YPnpoM"
    "oZzcysmt3J3Kya2kviond7BLlFEfYyzKGlrEGgrMyHAnXM4ITXEr5BdBnowwLeXTnjHsnv"
    "X5+mQR6xOoir1YJ69KnrhapyJ/QfnYc3NPx4Rdc9V4M0b0qBbfBbV3jKdSWw4YgxMseDoi"
    "zEX7geqLLUscHgn1cgNm2oD4em9CgV/FgEqRVoq0UqmUIq2kXgFFWp0WqcZpkQDLYE9dTt"
    "dOMitVexFVW8XgVQx+u2Lw3MWul5PYIPDVmDfKxHFSS0XIXWWk977U2s1G86Pe1LSLjt7W"
    "OtetZkc7Q2B/MUBeZ4SYXIdtcAzIkx4L6W+aF1ob6D83tC8RtQc35wD1AyWTiLZ+2epoFx"
    "GVYdmcmD2Wvmb6WslrpMZuNWFAm/UYDN49QzCkmzaiFrN6FzJ659i86WkDKgzP2+CLX8uI"
    "o8pT5VnDrXGA7THgsYz6nGDcQe15e7XlrJEUuDly9bNiR0SSa7MOiecR7CPehyf54jLSyI"
    "qixUjXhj+LnmmIxtlGATx+qCEx/xY51/C0FMAAzrwEwAjpOel/MaLHXJzFWOW4Gf+MB4Fi"
    "JwHk2a2/MjltMeKYYwvIEl2RRhUnUi5M5cKs5na8pc4s5cJ8iVJXLsztcWFW4UzGcwO/sV"
    "MZM5WOuUX2yOMJAnljKLexchsrt3EFVo9Vp27JCag75E54LHOWi0emboJTlaTMxu9egFe+"
    "rf33ptHWOvp17Y8rrdnVr7Tup9bFmTx/T0Gjm20pI7C5bbPHZhz1VvNDo31V6zaEh3xGD1"
    "K5o85I1mGKUdfqKTps+BTX7VZd63QazY9novyOQTgHKfdY56Ze17QL4c7nnmEQYgpP/oda"
    "41I03WFqid/1WrOuyRZDiEG2Xdfa3Ubt8vIPva19EK596B1jx6XYsqazSS/uLeyNvwjP79"
    "efWyu5ePHcwVrJSaRPF8paO52TtXaazVoTE8lzCExvzvEgJxG2uDh1DusugD7PjlxHgerg"
    "jEPO/jU3BznOpkpClk9DpuzBXjoROcmsSkIuYF+kndMlQM9h3YWFZgOgB1mEukkHhOcYd/"
    "NC5WnO3YN8TQnKxZG/uGCExvXEYp5tOUh1tOknR/lSc1c8nY5dF97+vMLt5aGq+WPtEmKl"
    "EjsySkcxqGG8+XFoYzke27UYzMW0RHA4eA1zYsPRC1ocGnYimpVGhjOx32TIXEV2VWS3+s"
    "velsb4VGT3JUpdRXa3J7IbYBnomEv5ABK8KsaoYowqxlgBm37FMcaN5xhUbXVec6xnXpCx"
    "aPXdhsBiZQCu2vH+atj8qzjgv8Ch/fKlCJc/tl8NYNdwcH/5OiYxxSNy/D3V3VXWk1ixBX"
    "21Tq8QhkLfVwynx1xgekxIj9eBqQWHFtAttayBg8dDhPk9McPKh3e2c4gMezSiMCpQEWgg"
    "ggTAyRaBedJoPdZjDZcjaqIRvidclmYMGGOhKxTWZnTImGD5DSPMUPDQaB/fucQRpSBFgi"
    "X08AmBa2JkOJgPxX+EMW977oE46RF8QCm4aXdCDfKT+NaSRZDIvTsUn23qMV97RrJcPUd4"
    "AOKGocWnnRDlyCJ3rqh04/oFcMRbWVTMJu08fDzRJEkf7NnK0agcjRXdvrbU5aQcjS9R6o"
    "s4GpWrZbWuluA8hHgbyiKbx7pDntsVQqx8Let0BagTWM93Agte/ttSiKf5dtDZtWa8y+s7"
    "ad4d1Hi2V8PJKrbbl6AiC+OUtBn3Wtda80ya9T1Wa3a+aG2RsuE7CMI0jk6YxcGXS+JY/X"
    "cMifjaM8BtlvpiZJJr97aY1W/qErEsxMVZGzOGXUB307kaKpqyMjdV5qBvOUznnb4oA2ml"
    "0jBUdGq9wG4+OpWe5VkplCzstfCZ/ypO7EfxT7zVa6/q1fFu40+TCWEl+g/nRbB4mnK9R7"
    "lLlfFSURcVdanosryl/ncVdXmJUlfHu7fneLcq3LXBwl1x5We5o/Q5I6gD9dv9QbsXM/sr"
    "9Tn7l4D6tjn9y+O9B5Zu7VJWhAK8sSXrQYkCUp+1MyTqRj0QUeWp09UvbjRR20nUafDkdx"
    "yua40L8QWHMaYF1aEazXrr6vpS6wInZYY9GgsTO96ua79fN2SQIerXybcxdfzqUn60YYyX"
    "DTas3gnu57S4+pg41DZ1kLJT3tgqGGMHFfDtVbizdlZKbCTPxVZK8MEISuzVFrtcz8BGni"
    "v4uQW0ioZQxbRKFNMK95VlvFtJ1hW8cBUzfXfpfSOiPOQSQo7zKQlXWcJS01xm/0wwKhlX"
    "WcZjC5f10MRYqmwyLWmirqkCXBLxLNzlI+/BMFsG9sJh92iSrTcjtGSA+EbUta2LM/syEJ"
    "sJECf6D+cFiD1BqRsx0kczHL+IPD2MhF9a/DH9r9LfEex6DgHTXH6JXuQrikxCX4XNJjYu"
    "M4jIZ4SpKfIcp352oGz/gSNpFMscRowYmQQdIpnQ/+3YE7QvOLBl2RMxpXtM8gCBi14dIM"
    "xMIHUICFyMD3YXmWALgfhNDrcir8YBYzESSMN2h+K+KO+F+Y6cuOKugd8gR6jfF8/U7wOr"
    "NUXGELOBTL90bG8wlIPB1DOpQBRbPdbv31yLdRgdHR0hmNs+Ir/4//wLfUVfPmltLfr58y"
    "/IoiPq9vvFiZHxSIOPqnyL406EdHakisc/azxexYY24aeNvQyLohx/f3YP5dV/nvUp3k7l"
    "5dwqxT10tS9+miDk2JnvmmzgBEFGj39GrbNNDNvJLSob715A53QiykdVzhYjfrUIUID6fU"
    "F8L68GGpYBKh3aD1JM5C9RQQI/ENDSGDnIap5PGEsW1GCw5wpeGtMKYRTG/Q+nIMwDBU+q"
    "1KCc+uemfpKt/sTtsX2xcx+mq3AcBHU6cFCKA64Crf5QoEoagAyomwxNhkRevMd8Oo4cqX"
    "b64AM/qND3ZOxrxDCC3wKvmw3bmLhzeBcooy6xpgspkKW+3zpX21TqpVIvq6L4KPVyO9XL"
    "rx5mLnVzspYLlY44i6oikRMuUyr7i1HZVbWFZ9gWVK5FMfrbeeq+KNeiIrbaF3I7tO177Y"
    "Gw3CqIif651trEp9TJjHQhcy2oMyi5jlB3ZvuAzRWcMpVdoF6C4UW5X/3PN3/gFugDcaa5"
    "ptsKxu0x8g3u35r+KGyqMzC3TG9sUQPeGWTZPCiUSKWhJyMDYob6jdy1hQVle65hw2tXYD"
    "xlzKPoeGfwOitr6JmtodRcKbML5rCqpIBFNkEJTwmgQ/p1WUXPB+/xQl9MPZ7zxdTj7BdT"
    "8ZgWJ3gVo5xi2z2FbvUWaLiIZ1Ce5/iOMa3LBN3ohH6W/DmxgY9ya/fMPVIbZ1PHaEscox"
    "3jqWXjnJn+a6fVLHAHRCxpa4UaLvoHWZRvo8tlDuACjATgmZI+6eo9KYVFDJAu6bN9CUVg"
    "yRkE3rRwTiycVtTW6lrjs18qzB9h9vl5mdHjf31eJgl9bLb8DKABs53sh+fTJsNCm/HKa4"
    "wVfxq0uMptjGVnQqMrc09aIpOsdEWxJNcuKDabLisWvo5L1axMsCrHVdUdV4ltP1xxlxB8"
    "mledvK9aNKAiLsoacagx3MtxTgY9h/PckjiiWWdNq1JuusLdPddLlLOvBxO9uk6ilezrxV"
    "65JdwXT3VdVG5X2cDXLuGlKoFwQL6D6K7FDQdXdHPLWhabzDEWZTKXNJmfdTP7/n8sCOOL"
)
