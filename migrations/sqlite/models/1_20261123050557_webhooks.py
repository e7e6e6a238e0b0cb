from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "webhook_event" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "stripe_event_id" VARCHAR(255) NOT NULL UNIQUE,
    "type" VARCHAR(100) NOT NULL,
    "api_version" VARCHAR(64),
    "created" BIGINT NOT NULL,
    "livemode" INT NOT NULL,
    "payload" JSON NOT NULL,
    "status" VARCHAR(16) NOT NULL /* RECEIVED: received\nPROCESSED: processed\nIGNORED: ignored\nFAILED: failed */,
    "attempts" INT NOT NULL,
    "last_error" TEXT,
    "received_at" TIMESTAMP NOT NULL,
    "processed_at" TIMESTAMP
) /* One Stripe event. The unique ``stripe_event_id`` is what makes delivery */;
CREATE INDEX IF NOT EXISTS "idx_webhook_eve_type_89456a" ON "webhook_event" ("type");
CREATE INDEX IF NOT EXISTS "idx_webhook_eve_created_90aea1" ON "webhook_event" ("created");
CREATE INDEX IF NOT EXISTS "idx_webhook_eve_status_3f4901" ON "webhook_event" ("status", "created");
        ALTER TABLE "plan" ADD "stripe_version" BIGINT;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "plan" DROP COLUMN "stripe_version";
        DROP TABLE IF EXISTS "webhook_event";"""


MODELS_STATE = (
    "eJztW21T2zgQ/iuafKIzNAPhLe3d3ExCQ5srECakL9PSMYqtJBpsyZVkINPjv58k2/F7Go"
    "ckBJovBVZaSX52vbt6vP1VcaiFbF69sCGpvAW/KgQ6SP6SkG+DCnTdSKoEAvZtPdENZ/S5"
    "YNAUUjaANkdSZCFuMuwKTNXalQbgyLaVHlBKVXB9fYPG19cAcyBGCHC9JjChgDYdAmyBrQ"
    "FDciGXIQd7zjaoVquv/lKbWdSUu2EyXOC6V+T6Wi3qIuMWMS4PLZdQj3TDARYcXOoxcMGo"
    "5Zmiqo7hEfzTQ4agQyQ3YvIw339IMSYWukc8/NO9MQYY2VYCX3lCtYIeMMTY1cLjEWQneq"
    "p6xr5hUttzSGy6OxYjSibz5XGVdIgIYlAgK4Y98XxIYiL/tFIgmIcmx7QigYUG0LOVBZW2"
    "f4RIVjGM807PuGz1DKOSsW6oETNMIDIpUZ6BieAaAQfeGzYiQzGSfx7uP/j7RED4s9SGnx"
    "vd4w+N7tbh/iu1IZW28H3uPBip6aEHvYS0rr+Ixj0C2mRIQWNAkcX7nRwR2EH5mCc1U9Bb"
    "gWo1/GUeQ4SCyBLRq7MKU8gHtDrEHgcuMMUUvfZZ67LXOLtQ2zmc/7Q1fo1eS43UtHSckm"
    "4dpsw2WQR8afc+APUn+NY5b2l4KRdDpneM5vW+VdSZoCeoQeidAa2Yt4bSEDU5M7K651pz"
    "Wj2pubH6ulg9xChm9uD0kdWT4Ttr+SYetonIt3tWN2V7id8M1g6cc22MPVSHeP2mVtvbO6"
    "rt7B3WD/aPjg7qO3U5Vx84O3Q0xSOa7fft817SwErwkLCD/lkiu4XzF5PenhryRIKr7ezM"
    "kOHkrMIUp8eS+MZPloG5h+4LXDylNhfaa+bf04JX62svEbdCSLfOGl9fJWLXaef8fTg9Zo"
    "Lj004zhbwMWDgf9sLAEleZK6TM5eA7yw0otd39o/363uH+JI5MJNPCRzZUyN2gbVhwzEtA"
    "mlTagJoG1fQYQ8QsdcOI66wuDlc8Hh5lyYF4b4YwvFcYhPfSIdjGjrwUZgH+97Jzng9wpJ"
    "EuKrEpwH/Axnxpjlv5e+ARUwEI+h62BSa8qvb7Z1nYTwFbITQ9LqdDcKpQVAuk4/JAXtU8"
    "NV7CIHGdjUkWbhIoH+42pwxsUmojSPJtEimlLNKXWssyRUh/rBb0ZqdzmgC92U4XIJ/Omq"
    "3u1q62gJyERUG9HdxdXJ+aMrBVJvDnKi+kNlwjnql2cDBLGX5wUFyGq7GHB0XoDW5iTJMS"
    "9KF5cweZZSRGYlUjw2ZebGoGeicfu8iGBUVijIm9UOs8wyvRQ+hzoTTwBY0mrdEiOLNDTs"
    "1JSyCBQ/1Iam+1UwawAl57guZ0cttwJ/N+S3F3CIp4YqkF6ADAgJVuEz+4AUbvuCKlx4BT"
    "IEZQAHQvA78CMIXmY9e7ItzrqwP2EeNAZhpIALUtoJ9IqmDbBjKCU1uuIpQuwsxffTZ2+7"
    "sPkB8ypFkRu4U6Sgdh/Ech/Z0Xoj59ar/LD1G5McnzsFVVOsuhwGP5We+k/tl/iuTsV6Y+"
    "qxbPufrRN9z3n8WCbrjvP9HqG+77+XDf8TQ4awke13mBHHh9htK7Xlh419PUC3SoR3JiW6"
    "F7RwqrowqX79d/IFu4Mo9dMFm4oUJWT4XIG868REik+uL6bRbGgyS4cEpvPNco2dKU1HoJ"
    "HyNX8OU3dt+eFeeYyguM1ItpIMuweknEs3CfUIbwkHxEYw16W54QEjMvWqcaKZ8Z2EXMnR"
    "QzeDchduJOJp9dPjHyA3RXXmu67WMZpYt50mWSgF9QfyTjTOsW6aNneMDE+PY0KvDOn2mg"
    "ydQybKDWqoLeCAHftGDSbKqHJHZ+w+qd4u8ceIM4kEeQBQAbT2MFH7PuFUH38vz2+DWVrv"
    "sWQGB5ro1N6Z3Aphz53bOYcMQEgMQC6vIcttRK/7cA9YRJHTQzWyhfEuFpWAN+acMQPjFD"
    "mPKVOcqluOqmXJqlXNLwlAA6nL+s7P108O7OVCLtTimRdrMlEnRxMQtWjHJK7eXVo4tqtc"
    "98XijHNcaUlsXGrNShn4RkVAlc1SglKYW42gpJhYnk2bIKLhzbFOZ4enF3UUxl9c1FT9Nx"
    "u5Q2oqhmzEbyFvGczP0rVaSE2ivsaWTIRPJNK9vYKC9Lx63259a7tyBc4YpcdDvHrctLJX"
    "QZNRHnStp+f97pKpm8g6pK/IqcNNqnSjCA2A52LpuMD2fJxekvXLFUfJjJxEIgx83rkiym"
    "6mMqm77eTNiHXBiIMcqykBa3/Se1XkJhs+qu//B1nOOTekp18019Xb6pz9JJMYm4cxg+rb"
    "sAyz+jt3CNDJ3TPOFbukQr5zIpygZi2BxVcsjJYGR7Gi0Jozm/4yOLDfuI/8eexxkVZvdc"
    "lignrweOvr4k0ULyejErNwd98VjqYu2yyvJ5OPVSlUA4mP4C0V0KDSd3FCivTaf4yhxT2V"
    "yZS16ZnzSZPfwPnxF8Gw=="
)
