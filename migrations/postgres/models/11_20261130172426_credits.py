from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "credit_balance" (
    "user_id" VARCHAR(255) NOT NULL PRIMARY KEY,
    "balance" BIGINT NOT NULL
);
COMMENT ON TABLE "credit_balance" IS 'A user''s balance. Changed only by one conditional ``UPDATE ... SET';
        CREATE TABLE IF NOT EXISTS "credit_pack" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "stripe_version" BIGINT,
    "key" VARCHAR(64) NOT NULL PRIMARY KEY,
    "name" VARCHAR(200) NOT NULL,
    "credits" INT NOT NULL,
    "amount" INT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "position" INT NOT NULL,
    "active" BOOL NOT NULL,
    "stripe_product_id" VARCHAR(255),
    "stripe_price_id" VARCHAR(255)
);
COMMENT ON TABLE "credit_pack" IS 'A pack on sale, from the plans file; its Stripe Product and one-time';
        CREATE TABLE IF NOT EXISTS "credit_transaction" (
    "id" UUID NOT NULL PRIMARY KEY,
    "user_id" VARCHAR(255) NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "amount" BIGINT NOT NULL,
    "balance_after" BIGINT NOT NULL,
    "reason" VARCHAR(500),
    "expires_at" TIMESTAMPTZ,
    "shortfall" BIGINT NOT NULL,
    "key" VARCHAR(300),
    "request_digest" VARCHAR(64),
    "created_at" TIMESTAMPTZ NOT NULL,
    "payment_id" UUID REFERENCES "payment" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_credit_tran_user_id_accb90" UNIQUE ("user_id", "key")
);
CREATE INDEX IF NOT EXISTS "idx_credit_tran_user_id_d07508" ON "credit_transaction" ("user_id", "created_at");
CREATE INDEX IF NOT EXISTS "idx_credit_tran_payment_f50ca5" ON "credit_transaction" ("payment_id", "kind");
COMMENT ON COLUMN "credit_transaction"."kind" IS 'PURCHASE: purchase\nPLAN_GRANT: plan_grant\nADJUSTMENT: adjustment\nSPEND: spend\nOVERAGE: overage\nCLAWBACK: clawback\nEXPIRY: expiry';
COMMENT ON TABLE "credit_transaction" IS 'One ledger row, never updated. ``key`` makes its cause happen once';
        CREATE TABLE IF NOT EXISTS "credit_lot" (
    "id" UUID NOT NULL PRIMARY KEY,
    "user_id" VARCHAR(255) NOT NULL,
    "remaining" BIGINT NOT NULL,
    "expires_at" TIMESTAMPTZ,
    "created_at" TIMESTAMPTZ NOT NULL,
    "grant_id" UUID NOT NULL UNIQUE REFERENCES "credit_transaction" ("id") ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS "idx_credit_lot_user_id_a0833b" ON "credit_lot" ("user_id", "remaining", "expires_at");
COMMENT ON TABLE "credit_lot" IS 'What is left of one grant. Spending takes from the soonest-expiring';
        ALTER TABLE "plan" ADD "credits_per_period" INT NOT NULL DEFAULT 0;
        ALTER TABLE "payment" ADD "credits" INT;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "plan" DROP COLUMN "credits_per_period";
        ALTER TABLE "payment" DROP COLUMN "credits";
        DROP TABLE IF EXISTS "credit_lot";
        DROP TABLE IF EXISTS "credit_balance";
        DROP TABLE IF EXISTS "credit_pack";
        DROP TABLE IF EXISTS "credit_transaction";"""


MODELS_STATE = (
    "eJztXVtz2ziy/isov4xT63ElzmVynJ2tkmUmoxlb8pHsyeyutiiYhCweU6CGpKyodvLfTz"
    "dISryLlHWhaDzEsUk0SDaARvfXje7/Ho0tnZnO6Y1J+dE5+e8Rp2MGv0Sun5AjOpksr+IF"
    "l96bouEkaHHvuDbVXLg2pKbD4JLOHM02Jq5hYd9HDeIw00Q6gkSnZDB4ZPPBgBgOcUeMOK"
    "JPolGXmtYDMXRyPLQZdDSx2diYjk/I6enpq0/4MN3S4GkGf9hgv30+GGCnE6Y+MduBl4Yu"
    "8JMeHWK4DumJe+TGtvSp5p7ia0y58eeUqa71wOBBNrzMv/8Dlw2us2/MCf6cPKpDg5l6hL"
    "/whtiDuKG684m42BxR+7Noit94r2qWOR3zUPPJ3B1ZfNEeXhevPjDObOoyPcR7PvVYErrk"
    "vS1ccO0pW7ymvrygsyGdmjiCSO29wvLakaq2O7dqT7lV1aPE6AYUoYHxL2kWx5lhcNcRHB"
    "jTb6rJ+IM7gj8/vPvuPWfJCK8VPvD3Rrf5S6N7/OHdK3ygBWPhzbm2f+dM3PouuoDR9ToR"
    "fF8yWrMZskalbpLfl3DHNcYsnedRyhjrdZ/0NPhlnYEILixHYrl0djEU8IF6h5tzfwrkDM"
    "Vt61rp3Taub/BxY8f50xT8a9wqeOdMXJ3Hrh5/iA3bohPytXX7C8E/yb86bUWw13LcB1s8"
    "cdnu9l9H+E506loqt2Yq1UOzNbgacA1aLkd9OtHXHPUopRz1qox6wKPQsPtvvxz1qPhOjv"
    "yF8dDibvq4J2ljYw/8KzDa/uSszGA/4Ev8+D9nZ2/f/nT2+u2Hj+/f/fTT+4+vP0Jb8cLJ"
    "Wz/lzIiL1pdW+zY6wHjhe2QcxP8ldreg/Wa2t32zPLLBnb1+XWCHg1aZW5y4F+Vv+M0SbL"
    "5l3zKmeIxsLW5XbH7nCS/lj9uI3ApYenzd+ONVRHZdddpfguahIWhedS5inAeBZaSzPVOw"
    "hEnWEilrTfDX2xUoZ2/e/fTu49sP7xZyZHElT3wkRQU8jZqqTudOCZZGiSRT40zVprbNuF"
    "bKwgjT7E4OH02d4FW2LIjfFhDDbzOF8Nu4CDaNMRiFSQb/2uu00xm8pIgrlYbmkr+IaThb"
    "m7hHfx9OuYYMJPdTw3QN7pzi8/6xLd7nMBs5lC+X4yI4pihiB3G5PARTbYr3SwxImEYOyc"
    "aHBMxnHSa8OmE2/jMsvYSETyeWkj4u6SnMoKcUXfvCskxGeTpzl0Qxht4D1bY4GmBMu53Z"
    "F53OVWRmX7TiWt7d9YXSPX4jpjk0MtwMowYxw5KMDkh2yObFlYPls2+ITzycVTVSxEa2Fp"
    "NKvBFDp0Kg6dn790Vsyvfvs21KvPf9O6LTw8cQbIoX7qn2OKO2rkbuhEwg29DSNtoLn+7z"
    "b11m0gyLJ+RWuMF+DtC+/x7MueDqUQoSpY2Y9mhNXdVhDuJJz+RX0++u5/VWV6450/tF58"
    "/kWC/UVZ3YhSvUOrOy1mzy1vhsHL9COX0Qn4TPxiclVmWGJ3CxZPPdgepk0W6lU7DD2dKz"
    "BlTEGhIq/Hg/OMQX4ydkNoKhe2K2cMQ9wpicQyOdOqN7C76aTB1mJ9yCG+u5z8d0Tqiukx"
    "ljj+acWDaxOPsR8X/iSUPsx9BGhNqMjA3btkB9BbXeJVz07VimTo4dxtDHCHPVoSYbDF6d"
    "khb3dDFiWzMHHZVzaEtceCfCvoExAJ9C/EVxz2wHHksoJ9Bbn4sHA4lhmgS0cMuEXlykZY"
    "bt+UGLeSj/7Q2Zt1PCRGP2ExXaia8l/ifThZm2M9/dtS7Td+bUrXg6NfRTpNmOGzNkY4kn"
    "4Y93+zCwPHTB84yE7Sbx6dJ/+bI8WdJ/+RJHXfovD8d/KViW4H621Rm03yFubjME7JF12+"
    "J8xOR886GAxfkmvnSWBifeivI4rGoU5XOYpoa+4o8FePwxk8UfszgMDJzylH0kU5QkCXcm"
    "St5sV45sDncdl+TpkmB3IPb25fIL9FjuTBps2GEpPQW7R7DBQl8Xv16S1i7md2PwdcQfb1"
    "mP04laMqw6SlWHgKgdRJ+F8KKifA6R1FBSbyaIPeGMiXI8ye7Pls2MB/4bmwumt+ANKdfS"
    "pHXsMMeBMTsLC4fLNp0tgMnwJINvhy9mnoDuglnebTVBSme7t7YJqzdFLMMFNcXopEDr0Q"
    "YnefC6Fxeh3ofaFjh3gyj2Dw7xqU4JLFQOr0osbs7J/RzRbALs1UWcIjXJYHB3g3gIHowh"
    "MHwJbP35Xfa5T0p+DjohfyM6+fqL0lUiV/7xM3mNh3m4OMwD38od6mG6iJP3ucHhVVzvqI"
    "/J9AdmI5r+yUPR/YcCYyzi0kfmNYP78O6mpT36wH0f+zCoaTjQAiH7OZnZsL/7iHrwtabl"
    "Os89+INdlZSeIRKpDGQrA9kYemi5FAfUQkS1iTvaAY5WIqZg+0L3ynKzBS7eLCJsTb/dSk"
    "H7FSWOAWKCDV30NqIMfAB55YLEmzCQhfzBF0JD2xp7ZxMtaOS4P7JvE2OB5oUl7Qb67HOU"
    "W2Ro2I77Cf2H4gbIargMQs1mY4pT0oZn0CfoCKQ3NFL+uGl1/4miciHc+1xId5CYJhNPsm"
    "Y8vAtgY/GuIFiZXtj/GBJv3rv4fPBe00FPhnRC7tcJWYVNq1Iq/1Zs2MjsL75RRcjqhC7u"
    "2OsTkjcJ/uf7XKOUG/C5VgxUOFwXa9KzLuMpXsQwCx0pdcvK1g7CNLvVEfYzqCsUgmdp8r"
    "GRSA5Dh7NbC34UxK48lf12af0f6kCshLHCs7AIjrUBM+kG+jrKtJPE3SKG0iRoWACSwrYY"
    "zoihkCdL2wUxPDRVTPYpJekK2CX6IvQyBZR6fqd9L8ZVBHI+somLsJPjsgkaRdhVkETGmX"
    "NNpoCpEHqeZ73ILT97KA4zmE6GUL7EUZchlIdjTMsUMNt1wvsHpJMsXnWkum4gkQzpqyg/"
    "ZUjftkP6ZDIimU3h4GMkq3XKv1LiYitOpgoEp74MplcqECIMnGYCfTF0dSXe58baFzrsvQ"
    "zROvFPR/vm9jJv81jEMyBSp9Gpw8gI3oRxYvkAceKU9/O67PNjSiZ0PmbcPcHIB4M/WTDD"
    "4XeimQZc/QEodTaeWC7qJgR6PFmEUWD8hWm5IoV0FiAYCXFAGO8/eTEQIcwJmv37yH+1gB"
    "zIZDiEDIeoqdAM71RiqqeyWOHTccJvFAXLfdoq8/ro5g4/vqeck8nU1kbUQffDVaOtfuk2"
    "2rfnwm+hCndQnzcuf73r3V4reJ3q/zd1XBQKfd67UdqX58TBWLA+7/yudBtfoEMLpCDsB3"
    "3evGp8vWg0fzsHWUZnuKX0uRfade4JsHlcpO7nOGiW9Z2H19XTAN8xUOfH7ql06HpJVEpH"
    "yC5J5TCsPQyw6Ttplnz2jrKkqJ8S/r4QZPo+BzJ9n4RMZXzXSwj8cUaW7cLllMQCub6fMF"
    "ltkLEdC7EdRjRUbAXFcN5C4uttjvh6mxRfNoMvdVxVNx6YkyLC8naKOGX9WL6pKBIZNfLC"
    "9osovFIUOYlSPQNBqdii2mC0aILFSf6WP8G87Okg+br6DHNkXm33GHM4eUKa5e1TBYG6Bb"
    "LUho/V1WN8vpdF22OJetOw9mQu3xykPZZHuBjO3iDhTLok6IT4nZwmUPRVBH0uMpdOGFcd"
    "mCyDARlZwI7F2Wgsqmh5B7TxgKJPFrrtEM+175rzPh9RGGSdHCPvkMw7cG0hXI4g/qtzAd"
    "R7U4OICYEdYKZWH8fvH+HB7zEIIfE4fK+MD5igMwBzuB6JN4ZOoKk7w8Pg9w4BLrKTPp8Z"
    "MJuhMRUnF8kIRppQzbYcBy75wcIamAanpCGOOIqT5SY+Hd8TGeKdiexzLx2reB+DB6Tw7s"
    "GJS/xEFsQSc/bNXb6pNVywq5AfIeSRUFf6FECuulNH+g327DeQKmW2Nn+YIakyEPkljroM"
    "RD4cTEr6ancYVeQrfuvFFUWJa3fOqa7RXC9wtsvcxdvOXewbLKn8XR39saTeYUZutPpKmi"
    "NHnRulfS7sxT5vdq5vrpRb5Zxo1niCqI8fqaFcngcGZNxw30+sxtQuNfP95vXzOZy9fldk"
    "2mOznKM97xKTv0KO6qoJncM1EFI81b7aEwKu1lSckj3UcLFtJ+PSnn2qVVtf23aqxlHLMg"
    "pUklTO8kKzfIHbl2F3hEhW0CzAZpkXW+bFroLP8uRQ8mJPHdcaC9dW0kka3DvJ9Y6GW630"
    "iirf4LbppaYO/ILnntPNczUOBj7yNxgQh7muydABiE5Ccs/cGWOc0ITrdCO99rmfYVokaR"
    "UOSl/BcMjxveWO4E+qjQKPIjosvVSvwLXw2aQ+F4eTHGvhthR+I8dLx+1zi7iWlXlWqWjy"
    "IukwlA5D6TqSDkM56tJhKB2GskDDWm6rQCNZD/aKUUvOF+E85govhd4vCOoHtrw9K3RM4y"
    "znmMZZ4pjGThOfVZq9W8l7BvspbLkpnsFfe512xjHhJUlcIzI0l/xFTMM5wN0xh7fIi4jW"
    "E7D0+LrxR5zbzavORVydwQ4uYpz3P0ANQtTHYDNapeR2dg81nPx7SCOTPNTicThltQTB/Z"
    "9/Wx3W7x+6uF6M1oHZDLmx/dsCt6JMS0G4ElzNhrmS66VYhm1BRTwq4tAnppOhZRPqxeQf"
    "U9el2gij0kWRM8NegEa+YvUq7aDAJrrF4wS3Xh028mAxxwvL95s5dI6ZejBsXmdeV+uUEg"
    "qn0ZEolkSxqimbDhTPkCjWSxx1iWJJFOuQVtnuwq8jCtqacdhpfUhMq8goCPaU4HjQvoaz"
    "fPMRW/c2zUrDl87dBUH9jPq3Z4Xwwhy4MM5dkzruuzLcXRDUj7tFpm72zE1MXPZtoo4tDl"
    "0n2NsbU9PMVEMihDXSQN6e/fRhoXPgH3laRu+6cXWVWiNTnTOakihwNU8DOsnSCEtnwDdW"
    "KjRzSVE/IbB5EZvrZMwGe/K9i89CfaqBh64B8uSEYoZD8Z4ZjhmO/TtM1q4MyYxNrkhYZr"
    "PRazYulX1FZV5OJ6ahAct7oVMlRykAdnrDkzwgWw9IIkdWigHamOg9muMFZ5HJdFG/0WbD"
    "qUgqc8+8BO+L1DPURLBlTkYUWyYA7c102+eWqcNV03gSGXBOSZdplu1RDmEBhHLBYCYZpk"
    "dCRBd8IYbe516OGy8pjgkXbfydu4TeY54YwyVDmN1ADn0hgG7AXINXwQQymIufPxD6AFNP"
    "YuYSM09yXqKnEjOXo14xzFxitTspJ8Emrvr8M7crupGjUWw0Qqrgs4ekSF8SSS/mzzi4tB"
    "tY+AS5Vo7pR1g2pdX+ck58+j7vKr3O1e+YbAMku2U+MVDFPzdaV3hlSA2zKtk3Yv4izCuT"
    "kb64sM8p0kf9MKVtuv48C3E99kdoJdsLZmzwLHK1dLneFMra1Hk47KK9lZ7FG67Zy2zbSg"
    "FJb9m3LM9JQFAH1uYZbcoftxF7LRGzvrDZrjrtL0HzeCB7XFp4O/kaBnWMVBb9qY4B7eEm"
    "JQLjt4qXG85kKpD7JELu3zrJxcRDjVaC4Bg0DUqbSBXgEwrcdxGVfezjzNQ0rZmzSEqggf"
    "B+YCnx3JvoUGYRkFiyRBUllixHvQJYsoy/rkb8tc9Lf09dDx+IEksEswg+UBoWqGcR4cMG"
    "BCrH1G0iAoeHuZfn9NHXRrfdan9R24py2VO7Su+m08bC52B/ceC8yhnTHRW2wQlwnvV50P"
    "6ufal0of3vLeXrsjXieDa0fjLYbNkW7P8egvVBK820HATx48+MPyv6jFjfnTZ0aPE+h85v"
    "z0XVp3XcAJsPa9x5wehqL8rNH3zABKhrqc8Rwhpqz4erLSeNpD1X/6yWerbBwOAyWFyBQq"
    "FBDcqCEcTFy4RWcgC2UCV0E7ksjrKzWORDnKFhXQlxZvNqowURw5GuJyStVmJ+o8nUhmXA"
    "4q0k0CmBzmpu2gcKeUmg8yWOugQ6DwfolMHLe0g0UY2gv2opzxJcluDy4UuPDYPL3gRUg9"
    "jH0lM3QinDJZNevheA3XeV/71rdZWeetP457XSvlWvldtfOiJO/s+pKDcYzV2EofQ+RbPT"
    "/tzqXjduW4ijL9rDqAwNeyzyjoZaN5qxdlTzWtx0O02l1/Pi9W1Lw0LBGLLfu2s2FeUSQX"
    "9nqmmM6cmg/T5vNtpNRVwJzvZCj43ubatxdfVPtat8RgcA3J1Q2zWoac4Xkx7fLbgbXgj7"
    "R//DQ1RCeMbI6hBSGuX0+0I5p9/n5Jx+n8w5HQJ71lnmIfJdlqPlTA2s1jKrHaw1Fc2zcx"
    "L0gOvsotfstm685Rk+XQWrq6tctm5BNjR/O8dyQ7qBCZ61x3XWydYOy8gam/tTmlEMT20G"
    "m4Pj0IeUVZQd+55CWgem7zoK3o8jSpn2F5ZlMsozNosQWYzt90C3Lcm1uLJbzl90OlcRzl"
    "+04qy9u75QQP6IYYBGhpsBiXhSMEUtzFS2QxQ1QqI2qGYLGWzwJ8vQ1gymixLLgqYFJLcs"
    "1vsSS1JXmuVbKimbHa4QP3n6zFoaXdFJdYz7Z4cmpBzOVanrwupP2wDLs6rh9VUnjpU6jZ"
    "bQ4rKZGgTJrGZt6GDaYQmDXJ6WiGjxl2FKQMtygWbHs9jLNhsNZ0kErETjfGSgiQw0qb7Y"
    "O9CQAxlo8hJHXQaaHE6giVOFhDsy5EGGPMiQh0qHPOz8YFTVpPOWXc95MQ9Z0vcQ4hwqw+"
    "CqnUmqhs2/iVNJBU4ala5W8IyzRtVg7BZOG62ffCmkeCyBv+fCXWWRxIoJ9M2CXgEbMrGv"
    "EJ9WQWBqaJCKlCT2qMi9YZoPNp2MCHUemR7URhha9gnRrPHYgF4XhROgCTAnrRLxM3rDAs"
    "Qt1yGGTrxqC1iMwScMua7II5ufEMeCR00Y9WorcOJ/NDmmQyzOQPscT4XDHWfG4JmUaDZ1"
    "RvgLGvPW1H2FgWeEY0WH4KXdmaGxT2Q2MkxG8MDwCTFcp8897RneG346XiEH6Ho2oqIess"
    "mGLqbncr2sXbgqszJwxcHD1afjou39PVsCjRJorOj2daCQkwQaX+KoFwEaJdSyWajFj4dY"
    "L1d0krRGyO0GWSyxlm1CATICa38RWLD470txPE5XQ7Bry/xeJ0t3lLaGGs/hajhJxfbwzs"
    "uJbF4lbcajzo3SPhdmfZ832r2vShdPkHkAQXCqrBccKnPWO1O2+bMyotIAsFvPOOmUvgKj"
    "VPXbYja/qcsSELs8/CK9KRuDqRKBvuV4mhd9UYallTqGIb1T22Xs7r1T8VmeHIWS2QgLx/"
    "xXcWKv5H9kVW8/FaFJOegiXOAYyWyEy7snuQkJoZ2qLRuudF19RQcMJR4JPoXohi48Qy7e"
    "QX+MA69CNNPAoilgb4Nq505t7mC9buHGSTiwNtBnnx9TUQrcb4ptZoY7AlXTQkcQ8c0j9B"
    "3Bkyw+NA3NzazaUiqdonQMScdQNXeOA3URSMfQSxz1Io4hmWJvJ/XBjTRdL6cQuN++hvzd"
    "XtFie+3z+2HSOuAgu0saWbW0CfVn/N7P8FdbvGy+Vof0k+5DvKxKqpVt9a3OpvUyMdYcTD"
    "DMsg0Ag71Yd4fJ4pXoVMpEi2BUzUav2bhUNha/XhLOioxCCqAVH6VsSCs+PQ6n0IYMMZZI"
    "UkWlzIFiChJJeomjXgRJkrkMqpHLQCJ6O8Q/qpP8dw0NoxYjoE0d1xqXnvLp1HL2lysZs0"
    "fI9UVy/dAiXMvz++i222pciWoMwG9qiloMWLzhd+WcYM2GJ4YVFnq36uWdgnUVENCcikrL"
    "N43WJdZYnlAjozJDq93sXN9cKbdAaXDNGk/QVg9fV5U/bloionZ5X2XfJobtVXbwQmsndN"
    "3I2s1HfHoJXFx1wmzD0lUYZbu8sZXRRw0V8MNVuJN2VmzYWJqPsdTAs1Svoxz2ig27kGdg"
    "I+cOfG76/awuZCr+Mqn4/X1lHXQrSrqBBVcx07dO641haaY1BjlMJ0e4yiMsNM119s8IoR"
    "zjKo9xALdoI6ZPzTWt1hi1dOYXs1t9runrAQap1JL1JVlffv+K00r5VmX59ufUctdcYSmk"
    "cnkVWl4LzkF7AeDjWii7zjI7kQuuygtONxyRSq/0qfYEYf0W21ZKpS74NmG2hqiVNRwm+f"
    "7ZtGiGlzmrgxj/h9jD4Y1ADsMvO3cXVwq56SrNVq/VaUcXk7gZBTu6SuMqi/t+8e5U5uf5"
    "+DM6kI7+dR39SzmyRt73VOL6CaIN539fcA1MfmcNlTqNXu7yVd7lZfT/SzzjUmmWb/6Ii8"
    "hZUM5mDJFUOZxgryzOy8IC7EvRXUunYPG7OTBmF86/spxkpZOvxGa3lwrjmWVDozlAasL0"
    "cjVDSx5CuXPgehNVHnHYI3EIJXL/JO8QyhRbqlqoadHMKhjdij90TG9PyZBRd2ozYnBicS"
    "ZS/GPyfc8RnqwFsE4nWAIAFjGWBph7CfXF9R8cIkJrRCIWSjib+Te8HCr4t23NyDFSUNO0"
    "Zrj4+1zQQAOXvH5FMCcLxZoBJsX+QXVnM2oSmJi6A6+yzNcCPcFoWO4I38tw+kGJAIe5+N"
    "ZAr7FTMhjgNw0GQGrO/XwxWLHAtqYPI9EZzBfdQI5Ss88Hg7sbVMvI6ekpgQnpceRn77+/"
    "kT/J11+UrrL88+8/E9MYG+5gUCgvjM9VsQDDoUgyP0ylTvXICPNdKMGhxVCUy+H1Uz8ub0"
    "HvfUbMpIyVPCg7PgjYLY5XBhS7q3/welvLaGfwZMLi2c/RZ6FVdplm2VH1IOV2AZ3TXrZc"
    "qXJ2OPMKLIECNBhg40fxNNCwNFDpyLGflVn8hUWX6BMDLY2zV0nN8xl9iRpUHPZcpDVCWi"
    "H0wh3q6R/U8RU8oVKDcuqdvvwkrnoTt8+Pcec+iReueuWXtqJ+9Sp4CuYHFF2BKqkBZ0Dd"
    "5GQ2YuLhfe61c4gt1E6P+UBvY2LBiacRQw/eFVhuFmxj+OawFgxuuMycbySxYHFtU6qXUr"
    "2siuIj1cvDVC//nFLuGm6K0yBT6QiTyMJLKU5PqbK/GJVdut72sC3IjC3Z3D/M3B1ZGVsq"
    "Yqt9Zfcjy3pUnpjwSCSMtcj9XGtt5rVU2aJpIXOt55XmFVSn5HZh+4DN5Uf9i1ugXoLhZT"
    "hewVzP/IFXMJ6YPU813TbQb5+zb/D+5vxHtKnOwdzSpxPT0GDNENNy/NrChjD0hGcAZ6h3"
    "0XEttKCsqatZsOwyjKeEebQ8JO4vZ2kN7dkais2VMrtgCqlMLVJkExTsKcHooP22rKL9sf"
    "dNoUDeNzmBvG+Sgbx0YmSnicrmcoysfgrd5i3QQIgnuJwHfIeItmWC7nRC7yU4FzfwcerB"
    "gNyD+WEyeRi/xGH8CZ2bFk2Z6b/2Ou0MOGBJErdWDM0lfxHTcA4RcslhODIjwvBEFbx4wb"
    "uYwoIdxKvgHV5aIrDkNAYrLZgThZMTdZWm0vrdq67p9dDnN91OU+l5eYFsS2OOI1INfWl3"
    "vDxCD9wSyYM+N1oiHdGQGuZ6yYM2XzqBui4bT9yUwcsuDB8iqY1rdGPwpIn5qEoX4YxS1U"
    "GxycNGtlGJM1iOa5V5jpBK4KrqwFVk2w8k7hoDH6eVB3Gq5g2oCETZmbr31rdMhDJ8+yQP"
    "oLREw7L4pG6NYUADHHEwCE9bDzl0mHviR1348cY2M+ncq/U4opiGKBWh3EjPfW64xLWwF3"
    "tO9KmNX0v8rLb3zCbH3HKNIYKW8FEONNXp/BMBI1M3MKoZ45mn8Gufm7Cu7FcrwlUMm8xs"
    "sAKcwpBmfJlbmjjy6JUNkODmXsHNqgFttQJ/9hBHU7H9bwdQcVialNQ/YqQ1VDwPXf+QAF"
    "MlACap5Nd5kVVEyW+HtNTLwK+fou2ntstV+8P6rxoOGVit/zd87ZwMLRtUZcK4PrEMX1v3"
    "pAso6iPL9L3+IlyA3Fv6HPR1UJJPyNCAKUm8uR8xADbXdZ8PKf8RjBsRxe3ZATZz4acXku"
    "BA1wR/OEvFXnRxShriOhgJmkmNsdPnwsSwZmhtgO3h4tnFwcC0tEdYwFPuGia80zHFWHdH"
    "xENoNnVGTPe7+cHxOsK4CUzZ7njnJb1n06GLD7LGY8PrWAS/Y/Ps0PKw6zxgUEpQ+RLDhg"
    "e7qg+RLuqSRSOjDBlTsW+zIzuYIpvXOVEUL7OeZCRFsmBOWWsuSiVtuiInFrO00GznQrYW"
    "epgs3rVr4QDdmzdK+7LV/lLWu+mTnRP/lz6/VK5avyvCj7n4denJ9P6Xnsz6ejJB4k/gMU"
    "zNWgSZzM0ir1G6v42xOq40Jricb+KmkEsrt2pWbmRpheyZsoMdp5UjXeWRFmawOrStcdlx"
    "jlJKbLjSwywPTWXvlfWNPQkAobJAQpRMYgn5mRIXsFuCxaWzJYahWyXU7WGyeWX2xNhEi2"
    "RQbDZ6zcalkpdAcVdg+2IkVoDt4RErCLaH585KsD2b/6ujTCSeu9+MIXaKHp0T5WCnqc6H"
    "iYbFQhxev/tYJMYBmmUHOYibKfhuivmf7fteUuze9R2a0vdTw3QN7pzi8/Yxq7dz4oKB3l"
    "gqL/aSooaz/s1ZkUkPrbLxxLPklOf47WULq4aodnh8KxDqB3t6SxpQ2VO9XgZUiWiPUNkN"
    "L2jCeG7+7qzYjQObElkGwFYzeTeA/9roKEVJ9+/kquV02aYyenim7yJVDU+xFf05/jz9u/"
    "J+imy1e40z/M89v1+1pbiDCGNcVCU47DevIXe3kosCnuiyNHQp27QJkciw3pJWzF6DPb//"
    "P1hwe5k="
)
