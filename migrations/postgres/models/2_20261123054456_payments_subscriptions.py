from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "customer" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "id" UUID NOT NULL PRIMARY KEY,
    "user_id" VARCHAR(255) NOT NULL UNIQUE,
    "stripe_customer_id" VARCHAR(255) NOT NULL UNIQUE,
    "email" VARCHAR(320)
);
COMMENT ON TABLE "customer" IS 'Exactly one per user: the unique ``user_id`` settles a race between a';
        CREATE TABLE IF NOT EXISTS "payment" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "stripe_version" BIGINT,
    "id" UUID NOT NULL PRIMARY KEY,
    "user_id" VARCHAR(255) NOT NULL,
    "stripe_payment_intent_id" VARCHAR(255) NOT NULL UNIQUE,
    "amount" INT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "amount_refunded" INT NOT NULL,
    "status" VARCHAR(32) NOT NULL,
    "description" VARCHAR(500),
    "failure_message" TEXT,
    "disputed" BOOL NOT NULL,
    "stripe_invoice_id" VARCHAR(255) UNIQUE,
    "idempotency_key" VARCHAR(255),
    "request_digest" VARCHAR(64),
    CONSTRAINT "uid_payment_user_id_1dcfc5" UNIQUE ("user_id", "idempotency_key")
);
CREATE INDEX IF NOT EXISTS "idx_payment_user_id_e1248e" ON "payment" ("user_id", "created_at");
CREATE INDEX IF NOT EXISTS "idx_payment_user_id_53d174" ON "payment" ("user_id", "status", "created_at");
COMMENT ON COLUMN "payment"."status" IS 'REQUIRES_PAYMENT_METHOD: requires_payment_method\nREQUIRES_CONFIRMATION: requires_confirmation\nREQUIRES_ACTION: requires_action\nPROCESSING: processing\nSUCCEEDED: succeeded\nFAILED: failed\nCANCELED: canceled\nPARTIALLY_REFUNDED: partially_refunded\nREFUNDED: refunded';
        CREATE TABLE IF NOT EXISTS "refund" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "stripe_version" BIGINT,
    "id" UUID NOT NULL PRIMARY KEY,
    "stripe_refund_id" VARCHAR(255) NOT NULL UNIQUE,
    "amount" INT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "reason" VARCHAR(32),
    "status" VARCHAR(32) NOT NULL,
    "idempotency_key" VARCHAR(255),
    "payment_id" UUID NOT NULL REFERENCES "payment" ("id") ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS "idx_refund_payment_d32c99" ON "refund" ("payment_id", "created_at");
        CREATE TABLE IF NOT EXISTS "subscription" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "stripe_version" BIGINT,
    "id" UUID NOT NULL PRIMARY KEY,
    "user_id" VARCHAR(255) NOT NULL,
    "stripe_subscription_id" VARCHAR(255) NOT NULL UNIQUE,
    "stripe_customer_id" VARCHAR(255) NOT NULL,
    "stripe_price_id" VARCHAR(255) NOT NULL,
    "status" VARCHAR(32) NOT NULL,
    "current_period_start" TIMESTAMPTZ NOT NULL,
    "current_period_end" TIMESTAMPTZ NOT NULL,
    "cancel_at_period_end" BOOL NOT NULL,
    "canceled_at" TIMESTAMPTZ,
    "ended_at" TIMESTAMPTZ,
    "trial_end" TIMESTAMPTZ,
    "plan_id" VARCHAR(64) NOT NULL REFERENCES "plan" ("key") ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS "idx_subscriptio_user_id_2a82c3" ON "subscription" ("user_id", "created_at");
CREATE INDEX IF NOT EXISTS "idx_subscriptio_user_id_47cc59" ON "subscription" ("user_id", "status");
COMMENT ON COLUMN "subscription"."status" IS 'TRIALING: trialing\nACTIVE: active\nPAST_DUE: past_due\nUNPAID: unpaid\nCANCELED: canceled\nINCOMPLETE: incomplete\nINCOMPLETE_EXPIRED: incomplete_expired\nPAUSED: paused';
        ALTER TABLE "plan" ADD "free" BOOL NOT NULL DEFAULT False;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "plan" DROP COLUMN "free";
        DROP TABLE IF EXISTS "refund";
        DROP TABLE IF EXISTS "subscription";
        DROP TABLE IF EXISTS "payment";
        DROP TABLE IF EXISTS "customer";"""


MODELS_STATE = (
    "eJztXW1T4zgS/iuqfDmmiqUgvB53dVUhmJncQsIlYXZ2hymj2CKocCyvJQOpXf77SbKd+D"
    "VjhyQ4QV92J5JaVp5WWt1Pt8VftRExkUV3ri1o107BXzUbjhD/R6x9G9Sg40xbRQODA0sO"
    "dMIRA8pcaDDedg8tiniTiajhYodhIuauNQBFliXkgBDaAXd3j2h8dwcwBewBASrnBAZk0C"
    "JDgE2wde8iPpHjohH2RttgZ2fn07/Ew0xi8Kdhe7jAeW/tuzsxqYP0J+RSvmg+hfhKjxRg"
    "RkFP9oFrl5iewXbEMjwb/+khnZEh4g9y+WK+/+DN2DbRC6LhR+dRv8fIMmP48hWKGWSHzs"
    "aObGw+QPdCDhXfcaAbxPJGdmS4M2YPxJ6M58sVrUNkIxcyZEawtz0fkkiTv1rewFwPTZZp"
    "ThtMdA89S2hQSPtLmLbVdL3d6es9ra/rtZR2Q4mIYoImg9hiZ2CbUYnACL7oFrKH7IF/PD"
    "p49Z8zBcIfJR74tdFtfml0t44OPokHEq4Lf8+1g5667HqVU3Dt+pNI3KdAGy4S0OiQpfE+"
    "5z0Mj1A25nHJBPRmILoT/mMeRYQNU01MfzqrUAX/gmbHtsbBFpihin7rSuv1G1fX4nEjSv"
    "+0JH6NviZ66rJ1nGjdOkqobTIJ+K3V/wLER/BHp61JeAllQ1c+cTqu/0dNrAl6jOg2edah"
    "GdmtYWuIGh851brnmHNqPS6ptF4VrYcYRdQerH6q9bj5Tmv+DA9bNsvWe1o2oXuOXwFtB5"
    "uzMsoeikX88s96fX//uL67f3RyeHB8fHiye8LHygWnu45n7Iiz1udWux9XsGh4jelB/r/E"
    "6RaOX8zx9t6Qxw64+u5ugROOj8o94mRfHN/oylIw99FLzhZPiM2FdsX29yzjpX3rx+xWCO"
    "nWVePbp5jtuuy0P4fDIypoXnbOEshzg4WzYc81LFGRuUzKXBt8d7kGpb53cHxwsn90MLEj"
    "k5ZZ5iNtKvjToKWbcExLQBoXUqAmQTU810W2USrCiMqszg7XPBouZcmGeL+AGd7PNcL7SR"
    "Ns4REPCtMA/7fXaWcDPJVIOpXYYOBvYGG6tI1b+/e9ZxsCQDDwsMWwTXfE8/6zLOxngC0Q"
    "mm2XkyY44SiKCZJ2+Z6Hap7oL6GQqIxSycJVAvmXe8pwA88IsRC0s3UyFUpoZMCllqWKkP"
    "5YLehnnc5lDPSzVtIBubk607pbe1IDfBBmOf62oLNKAh2KrBDmScva4hzEiI5PAerYLHPA"
    "ZgovxAevEJ9XPzwsEu4cHuaHO6Lv9VUQp/ePEUZPNAyg8fgMXVOP9US8cxcbWWfAWSB38W"
    "sXWTDHGY8w3tdinjUMPV/DPRe21rJIEm8wmfyNWPUiU20SXGKvkTrJ233prlF9lGyBNhzK"
    "rySeLZ6U2l856ZbJ5pudc9GdybifZl46NpqmL7gUIPcABsmSlu2fucAlz1TkSsaAEsAeIA"
    "PohfsjAsAEmm+d79YO9uAAuRRwBwjagFgmkN+Ii2DLAtyxIBafhQlZhF1/9mJJl+8+QL6F"
    "5WpF7hOUp1rgXfzIzcpkWfSbm9Z5tkXPNOGeh80dIbOczEzEbZRPEv85eA+f0Q+YfLI36g"
    "rKr65SMh+LnFcpmY+odZWSWZ+UTPQYLBqxRGU2MDVzUiBSOcmNU06SjCAcEc/OsG2523sq"
    "sDoGe/n7+gOS2CvbsQvmsBVDt3rmiEc48/JGU9GNKwNbGG0US9EQ8ug5eslKu7jUJuTIV1"
    "CQEIm3i+IcEdlAS72YusYUCRpHPA33BXERHtq/orEEvcVXCG0jy1on6nvXDOw85o43u/B5"
    "QuxENxn/7vwbI99Ad3lY0201uZXOp5WXSQI2PcrISJJXKQ5w0rc9iwI0oqN+SgBqL7zbGg"
    "NiI+AgF3gUuaeyONrXKLi7E00cqrs7QBFjFqIAAj4pAgPEnhGyAUzRgAuZ9dYWY/5BwT12"
    "KQPsmQAXcWHKKNgaEPbAP0LjIeQbnzFvkVXdHDWATTRyCBMu363NTfa24BqDkT5XROXqQr"
    "QAI+TTW0u3FUmoSEJFFymSUGl9USRhcEqUcR8jIioaKhINBWFkeBLOF4QmpBXyRZBHI4hL"
    "8a4Tgc2LPvfrRaJPPiqfxarvlqwPWWo2H45HSIYf6Vx+0DXTjXcig37mxedDnuHMfo9ayI"
    "ibLImNH6mEeWRwxH3iw2JdPJpkHk0OUo6ycpSVy6QcZaV1lU3/INn0KgQs7w38ykKWwEfS"
    "RTmCPW/VddYcKnwpogVV16DqGtasrkFuQN1F3Lk3UYa5+MnWjUmqt0vTtQxhFJjevprtjV"
    "Kpx4RBDqWrvJFrXe1/N62u1tOvG79fae2+fqX1v3TOT2VyCnOPbnKkjHjMTcxbeyLR7LQv"
    "Wt2rRr/VaUfGc63cY3ckX6mIjG40E+Og4Y+47naaWq/Xan8+BY5LDESprJ3v3TSbmnau8b"
    "VQzzAQ4hv11r5otC5F0z3ElvjcbLSbmmwxhBpk23Wj2281Li9/17vaxU1bTuFAl2FoWePJ"
    "phdrC3ujP4TyVE8hpmcG0VPq2oN847mB1x7EkT4sVNJxOKOk4zBd0iE2kucivr0phcOMKr"
    "H8eyYyRDcB9FXfNWFi6ngs6/yaWaAXFVNvd5av0cP2E5m7Si8urN7uLBBfJMnpEqBniG6C"
    "oVkB6EGJjW7iIaIZwV0+5mnJzYN8SdV7RV5h9j2uN76X25WTVMebfnNd31LfyA3QykjhTX"
    "HMz+C50zELTeCl32kNKaxUlk4l4FQCrpq/5zVNxagE3EfUukrArU8CLsDSP3znC9VisioV"
    "pFJBKhVUgdBrwakgfhLRcmzxVGLz4trFU/KzckF51ncd8j+VAVixY+9wzsVD7aLxc1xqkX"
    "F0NViZOcLmWS+wTiuf3/oO63Sm9QT256+xxnZWpd5kjV0BmEGhJa8IzCfSaHLkcum0UhXv"
    "imJTFFtFbciaki2KYvuIWlcU2/pQbKrGfYU17lHnZz46M2MGRWqu94vRH2b3V+patI+A+g"
    "co4OZRceNSFk/LvxYlS6dFrfVX7RT4dxiKguheXz+/0UQZtChp8njbTfu60To/BZ7tQJxT"
    "SN1qNztX15dan0ti2yAjR4Tj0XZd+3bd6gqpab+OXhzs+oXYNz2/+JqfmBUprvbzCkx3kI"
    "uJqXMtu+WDrZw5NtABX1+HOx1nJdSG7AxDXErxwQxK7dVWu7RnPEaeqfiZteZ5U6i68xJ1"
    "5+G5Mg+7FRddwA+uYqHvJv3ekHiTag4lR+WUhqusYf/vks5xfsYElY6rrGN11bG66riSOe"
    "KKXnX8Gxo8EPKoPeVckxbr356VIH72R+roqeiNadE/VCaldkA/ejtxwCHJLv+WYkzBs/hT"
    "ZSP4iCjgS8BPyB0nI/RFzXtrI/8K5V8I37qnAALTcyxs8N0JLEL5SHHTMbYpchmAtimuQj"
    "b9Rsr4/jcB8ZhB+NlQ2y6W9U7d4KZS2++c2k7slTko0KioovyLEKASnhJAh+OXdXq/H7x7"
    "ha4O2JtxdcBe+uoA6OD89G0+ygmxzatVXIynFKMOAiOeQnlWkjwitKyq/JVu6HfJjosDXP"
    "goJQmzqJgiyUqQZA4cWwRm7HTxp+dz63FDkWRIjQ0G/gYWpmtcNZoFuAAjBnjqHpLklSMJ"
    "h0VMkLyHZP3ShTUXGYj/0sI9UeLWp6bW+urffOTPMLmHSebr/GuYZArwc7vj5/eGNnHTNz"
    "DNk9TbOypyFifJj8hRfJQ6iRlDI4dlKC//la2IiLr7LGX2RZ4YuS5x05DmX4gUl9oEx2bV"
    "dyGFP8c56POE6AYmJde0GLRICfDE4s6h+KSs4tWrxquXuCFnmRRlA7nYeKhlkJNBz/YsWh"
    "JOxyzzjZVSNF3u6Z7JEmWc68FGry5JtJBzPZ+Vm4O+eCt1UblTZQX3CfAfVQmEg+EbiO5S"
    "aDj+RJb5hmV+yBwRUSFzyZD5XQ+z1/8DAGPoxA=="
)
