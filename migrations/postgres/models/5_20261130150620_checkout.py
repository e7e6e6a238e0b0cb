from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "duplicate_subscription" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "id" UUID NOT NULL PRIMARY KEY,
    "user_id" VARCHAR(255) NOT NULL,
    "kept_stripe_subscription_id" VARCHAR(255) NOT NULL,
    "duplicate_stripe_subscription_id" VARCHAR(255) NOT NULL UNIQUE,
    "status" VARCHAR(16) NOT NULL,
    "stripe_payment_intent_id" VARCHAR(255),
    "stripe_refund_id" VARCHAR(255),
    "refunded_amount" INT NOT NULL,
    "currency" VARCHAR(3),
    "error" TEXT,
    "resolved_at" TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS "idx_duplicate_s_user_id_382fe8" ON "duplicate_subscription" ("user_id", "created_at");
COMMENT ON COLUMN "duplicate_subscription"."status" IS 'PENDING: pending\nRESOLVED: resolved\nFAILED: failed';
COMMENT ON TABLE "duplicate_subscription" IS 'One subscription canceled and refunded because the user already had an';
        CREATE TABLE IF NOT EXISTS "checkout_session" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "stripe_version" BIGINT,
    "id" UUID NOT NULL PRIMARY KEY,
    "user_id" VARCHAR(255) NOT NULL,
    "stripe_session_id" VARCHAR(255) NOT NULL UNIQUE,
    "stripe_price_id" VARCHAR(255) NOT NULL,
    "interval" VARCHAR(8) NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "url" VARCHAR(2048),
    "expires_at" TIMESTAMPTZ NOT NULL,
    "stripe_subscription_id" VARCHAR(255),
    "request_digest" VARCHAR(64) NOT NULL,
    "idempotency_key" VARCHAR(255),
    "open_slot" VARCHAR(255) UNIQUE,
    "plan_id" VARCHAR(64) NOT NULL REFERENCES "plan" ("key") ON DELETE RESTRICT,
    CONSTRAINT "uid_checkout_se_user_id_db79de" UNIQUE ("user_id", "idempotency_key")
);
CREATE INDEX IF NOT EXISTS "idx_checkout_se_user_id_93c566" ON "checkout_session" ("user_id", "status");
COMMENT ON COLUMN "checkout_session"."status" IS 'OPEN: open\nCOMPLETE: complete\nEXPIRED: expired';
COMMENT ON TABLE "checkout_session" IS 'A subscription checkout session.';"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "duplicate_subscription";
        DROP TABLE IF EXISTS "checkout_session";"""


MODELS_STATE = (
    "eJztXW1z2zYS/isYfak952oSx05ybnsziqM0am3JJ8tNe1WHgknY4pgCFRK0o2nz328XJM"
    "V3hZQlmZLxpY1BLAjtgsDus4vdvxsT22CW27ywKG+ckL8bnE4Y/CPRfkAadDqNWrFB0GtL"
    "dpyGPa5d4VBdQNsNtVwGTQZzdcecCtPGsRst4jLLQjqCRE0yGt2x2WhETJeIMSOuHJPoVF"
    "DLviWmQfZuHAYDTR02Mb3JAWk2m/s/4MsMW4e3mfx2heMO+WiEg06Zds8cFyYNQ+BPunOJ"
    "KVxyKZ+RC8c2PF00cRoeNz97TBP2LYMXOTCZP/+CZpMb7Atzwz+nd9qNySwjwV+YIY4gH2"
    "hiNpWNp2PqfJBd8Tdea7pteRMe6z6dibHN5/1huth6yzhzqGBGjPfc81kSa/JnCw3C8dh8"
    "mkbUYLAb6lkoQaT2pxC1NTSt2xtol+2BpjUy0g0pYoIJmnSb48owuXAlByb0i2YxfivG8O"
    "fro6/+eyJG+L3whb+1+qcfW/2910f7+EIbZOGvuW7w5FA++iqHAOn6g0i+R4zWHYas0ajI"
    "8vs9PBHmhOXzPEmZYr0RkDbDfywjiLAhkkT06WxCFPADjR63ZsESWCCKQee8fTlonV/g6y"
    "au+9mS/GsN2vjkULbOUq17r1Nimw9CPnUGHwn+Sf7X67Yle21X3DryjVG/wf8aOCfqCVvj"
    "9oNGjdhqDVtDrkHPSOre1FhS6klKJfW6SD3kUUzswewjqSe376zk35m3HS7y5Z6lTcke+F"
    "dC2sHirI2wb3ES3//78PDVqzeHL169fnt89ObN8dsXb6GvnHD20ZsFK+Jd5+dOd5AUMDZ8"
    "TchB/r/C6Rb2X83x9tQsTxxwhy9elDjhoFfhESefJfkbn1mGzQP2pWCJp8iW4nbN1veiza"
    "v9+yCxb4Us3Ttv/b6f2LvOet2fw+4xEZye9d6lOA8blpnP9sKNJU6y1Jay1AJ/sd4N5fDl"
    "0Zujt69eH833kXnLou0ju1XA26ilGXTmVmBpkkgxNc1U3XMcxvVKFkacZnP7cMNzw6mseS"
    "N+VWIbflW4Cb9Kb8GWOQGjMMvgXy573XwGRxRppdLUBfmHWKa7toXb+PHG4zoykFx7piVM"
    "7jbxff9ZF+8XMBs5tHhfTm/BKUURB0jvyzdgqnn4vIJA4jRKJCsXCYUfd5+jBr6zbYtRni"
    "+TiCglkWugWpcoQvhjs0x/1+udJZj+rpNWQK7O37X7ey+lBKCTKQr0bYSzKjI6JNkgm+ct"
    "W8vnwEac+hCgZhpVDthc4pXo4DXC8w6Pj8uYO8fHxeYOPvv6FYHTm7sYoocN11S/e6COoS"
    "WexLRzx9TzzoB3Ad2HX/vMogXKeAzxvsBxttD0/BquubC1kQOS6GOm39me0FzmItTxSH6d"
    "BsNd+qPtKtdc73o++CM5dhkbapfYhV+ofWgXfbPZR5PDSbqFcnorfxK+G9+U+SoLnFTzT3"
    "axp0qbzvt901/V4yxy+gAVsW8IlS6m71wSbOMH5GEMortnjvQR3YFMTqCTQd3xtQ2/mngu"
    "czIeq5WNPOQTOiPUMMgDY3fWjNgOsTn7HqFp4u+GOI6pjwl1GJmYjmM7zACNUxAux3Ztyy"
    "B7LmPo/oK16lKLjUb7TdLhvi5GHPvBRR/aDPoSAXMi7AvoqfBTSPBRXDPHhdcSygmMNuTy"
    "xUBiWhYBBdG2YBSBtMx0fBddOefZn77I/JMSFhpz7qnUTgIt8a9C71reyXx11XmffzLnHs"
    "WeZxpNpFmPhy2m/ss34X+OnkL39w1fH7SPq/TypyvX2vNysijX2nOUunKtbY9rTbIsw/1i"
    "qzPsv0FI12GIJSPr1sX5hMn58nUJi/Nl+tOJDE58lORxXNUoy+c4zQ66Md+W4PHbQha/Le"
    "IwMNDjOedI4VaSJdzYVvJyvfvIypw/dFKRpxHB5jxp69+Xn6EzbWO7wYp9acpTsHkEGyz0"
    "ZfHriHTnwlFXBl8nXMW2fedNtYoRv0mqXYjV2UBgVAwvKsvnGMkO7tSria/OOGOSHM+y+4"
    "PtMPOW/8pmkukdmCHlet5unbpnsGXMLsLCodmhD3NgMr7I4LfDL2b+Bt0Hs7zfOYVduti9"
    "tU5YPe28yQHXc/w7xRB72rdUDmhvkbh3hYSDkGCQZgY//xbBkEs0e8q45lq2GI3I2AZ2yN"
    "sgCJvjHRCgwz9tzkKy2GOX+BqcsGZDPqawuAyyh7xDMsTNZ8RG0BrB8f0TCdD7S5LIhYgD"
    "IHpPJvSOuWTYoGLIJ7Yr5OtwXgU/YApDSly/IWcMg0BX8WAT4LBLgIvsYMgfTPiCoDMllq"
    "3fkTFImlDdsV0XmgK3gk4tq0laOD8fs7fw7ThPZAi6BCw25D5EL+dj8pAU5s6+TE10E+BP"
    "ZOR6JjnD2RcRzdS+mbOrCM3/s4FPQ/jeYJOpLVAplmfaXxmsP9YZdgvhuQrfV/h+XTf+LU"
    "V6Fb7/HKWu8P3twfdjp2BZCyZGsoMWzFpM8mDFBorfckBIklhBIRX4Xiv4afdXu/Jnrduf"
    "FRgsufxtc2+SQUFSSzuk3qCXFq2+iuZIo3fR7p5Ie3HIT3vnF2ftQfuE6PZkioDGkLd/v+"
    "j02+9PQgMybbg/jTvXcyqt/KD7LiKuR2WWPXZbgLkeZRa/L2x3CYMhSbmDBsP2GghZuzBU"
    "e2LA1ZKKU3aEHfzY1nGQOwx+qSs0w7xlbs7XVsz6LOUOHuqrSiYTxxmTqGUVBSpLqlZ5qV"
    "U+x+2rsDtBpG5VlWCz8pUqX6nylVbwlXqusCfStZV1kobPDhZ6R+O9vukVbX+Bx3ilh7O5"
    "X/DEd7r5rsbRKED+RiPiMiEshg5AdBKSayYeGOOEZlynKxl1yLHPdy65MR1XSAdloGC4ZO"
    "/aFmP4k+rj0KOIDks/Ex9wjcQOxiGHk/EA7xWFbkvpN3Ll7EJuEWHb+49Nt6cchsphqFxH"
    "ymGopL4qh2EdHFW7rqIHgEl4Ei4Ht6SoFefLcJ5NqFkJNZ4T7J6R/+qwTKQu9CqO+D98UT"
    "GnxzoV+ffe1DJ1EEYiEUOOVp/fcaGKb4QkCZSznMKPWQGSYYFoB1rMIJQboFGDfohxiNdM"
    "p7CTRtGK1MJTZkbGFHtmNP7VDDvktmVAq4UpAUA9b5I+023Hp7wBEzYWPojBh8xIWBVzvo"
    "D6j0kLMCzSj6O0oNHBf3NB6DWGFpoC7AqO0YcwFgYwmrA4YSoyS4IuEw/QW1irpbMIxM6d"
    "mJ6poguVsaDURmUsKKk/D2PhqaW7fqX1jk2F9ng37TeGUdIoJ42YKvhokZQZSxl25UzqrY"
    "vUmjJuVM+m0bhod993uj+fkIB+yPvty97ZbxifFWTlAlX8Q6tzhi03YL7WJWArDPWkswlY"
    "BRqGIvJls23mjbF7Jvo60SffQlyO/QlaxfaSQT6+Ra5VTuSRQ6ly49cinUetV/GKs3kwzD"
    "GZ5W5xWZI5wS6wdpHRto6CJOFJvoRBnSJdgUW9RbKotwHt4yY1wcsvfB2qkZd5N3h0sDDv"
    "bqzTt0DwYtmu9IJ5HAY+IHl3zw8UVqyw4q1AMrYTNVRY8XOUehmsWN1EVzfR68L4zd2Irh"
    "XW9exQYZUzdQdAltoxda05U+UC1ELIr/LSTVAqlDCbJ3Xb3ETVF3Kj3/7vVaffvtQuWn+c"
    "t7sD7bw9+NiT7qHPnryYHR4pE7C5bQM9SAHFaa/7odM/bw06vW6sP0jlxnQmsgBSrHfrNN"
    "WP6n6Pi37vtH156bupHFvHlCroqbq8Oj1tt9+jY8r1dJ0xI+urGvLTVve0LVvCkDYYsdUf"
    "dFpnZ39o/faHq64cYkodYVLLms0XPc4tfBr/EKqHRpaKjFwQGFmptPMCB/HulXZOcvq4VL"
    "rY4wXpYo+z6WJxIXkOg+XtuvQ2JwN1MWidQ7oLTN80fG2Y7tQTeefXwuTfcTJVwbJ6/m+T"
    "39tLp2BKEqu71mUyMKk8As8wW0atWb6m2+7FLqp0hMMjq2j25SD10aarbvSbrZ8ZcCvHhR"
    "fxsdiD50R9VurAy7jo5hCWuqyhHHBb8j1vqStGOeCeo9SVA257HHC1iL9VriDlClKuoFq7"
    "guAkcquhxRHF7tm1q4fkF/mCinbfbfD/1IbBCh17ivSPCVO7rP2cpFqlHV0PVGYJszkDgW"
    "V4nGVw9ZyP0Ujbydhvp31MrKxaZX78Vp6Y8ulhKieFeRycViniXUFsCmKr6R6ypWCLgtie"
    "o9QVxLY9EJuKcd9ktbXaVA55dqCmW9tEos9m9auadyrPz6oDuMEqbp3J4GngN7Vk6DTGWv"
    "/WPpGZMu8ZBkRfDrT3V20Mg8aQJg/arroXrc77E+LxKTULAqk73ajCm8mjGm9RuzYv9xY9"
    "14LKb/jeq0s/+BpOzJoEVwdF3bUpc0zb0EDKTnVjq2CMHVTAt1fhztpZKbExnrMRVxJ8MI"
    "ISe73FLvczsJEXCn5hrHnRECruvELceXiuLINuJUlVmpo6f2/Mzz9WvRJojE5JuM4Slprm"
    "MudnglDJuM4yVqUBVWnAWvqIa1oa8AqvgJ5iGGB+ecDE84NFDmIPewIjoq7fLBvyaUwFoX"
    "7NDjS1ZZkMcsOo8BwGprkspndtWggPEF+FbabN8aUGGfIhLk2sADKTtT789u9cIo1iWdeP"
    "Es4eggdYGsT/G4t67CEFtSz7AZf0kEsa6CDIi31ZmYQSh4HAcXywu9gDtQiI38DigFExQR"
    "gJpGGLMc7LdIcci4pgemMmcNZAr7OmX9MQCxra3JoRfUz5LXNhEMf2bv3KhLD0DBM5Sq0h"
    "H42uLnAfJs1mk8Da9jnyk/+/f5HP5NPHdr8d/fnjT8QyJ6YYjYpKkiT87QFX5VccBxHSGe"
    "uUP/5J/fHKN7QJnDb2MZTlcvz72T0ur76I+WPQToVybpXiHkLt5aMJQoqdSQG0gQiCCpee"
    "1651+lXYCpXO4HEJndOJepaqVOfrqAboVtj5Tr4NNCys/Ub28N4Rakf4l0ssRu8ZaGmc7W"
    "c1z0eMhQoo2ETMQVozphXCKNz1cwwR6gYKnlSpQTn146Z+iFWnG/I9PLkP4qWpyR2b7RO/"
    "UJ3URGWIHbb6Q4EqqQNnsG4deRgz+fIh9/u5slx2WCEP6EGFxqI6UiOGEfwW+NxsOMZw5v"
    "AtmNwUzJqVUiArpTpeqG0q9VKpl3VRfJR6uZ3q5WePcmGKnGs7hUpHnERdmsxxlymV/dmo"
    "7Ory2xMcC+quRTH3tzPqvuiuRU1stU/semzbd+37gkIqiecLrbUHv6fG7svWVJEm1qVfnV"
    "tSNckgqsw9GgVRpvIRqJdgeJku2DRUBOYPTMHEUt25ptsKxh1y9gXmb82+R5vqBMytqFq4"
    "ZbvMN+BMaegFNcup4Te6wkYLyvaEbsNnV2A8ZcyjTI0XZQ09sTWUWitVTsEcUnUpoMwhKN"
    "lTgdFh/3VZRU/H3pelkgu/XJBc+GU2uTCdmsUXvIq5nCLbPYVu9RZouIlnuLwI+I4RrcsE"
    "3eiCfpL7c3iAo46Sw/pFIbVxMhVGWyGMdkpnlk1zVvovl71uARwQkaStFVMX5B9ime42Qi"
    "4LGI7MSDA8k6k8nZQ8pbDgAOlM5dt3oQgsOZ3BlxauiQp1IU7bnaBOuD/CvFKDvNHjF2qQ"
    "l4R+7vb8G0C33HbqWk+cCsEmU5EjvOKkbjGSnXGNrgyetPAmWeU6v0mqXVBsFmEj6yn263"
    "+OSxX7TZAq4KruwFXi2A933CUEn6ZVkfd18wbUBKJsMcfUx40ccDJ4crAIlqRRn3XmtKoE"
    "0xWe7rkoUc65Hiz0+oJEKznXi1G5JeCLx0IXtTtVNpBxGD6qChwOuu8gd9cCw8EbRW4Oxm"
    "KTOUaiTOaKJvOTHmZf/w/stCWF"
)
