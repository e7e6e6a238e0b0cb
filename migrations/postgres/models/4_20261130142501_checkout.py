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
        DROP TABLE IF EXISTS "checkout_session";
        DROP TABLE IF EXISTS "duplicate_subscription";"""


MODELS_STATE = (
    "eJztXW1z2zYS/isYfTl7ztUkjp3k3PZmFEdp1NqST5abvqhDwSRscUyBCgnG0bT577cLku"
    "K7TMqSTMn40sYgFoR2QWD32cXu342JbTDLbV5YlDdOyN8NTicM/pFoPyANOp1Grdgg6LUl"
    "O07DHteucKguoO2GWi6DJoO5umNOhWnj2I0WcZllIR1BoiYZje7YbDQipkvEmBFXjkl0Kq"
    "hl3xLTIHs3DoOBpg6bmN7kgDSbzf3v8WWGrcPbTH67wnGHfDTCQadM+8IcFyYNQ+BPunOJ"
    "KVxyKZ+RC8c2PF00cRoeNz97TBP2LYMXOTCZP/+CZpMb7Ctzwz+nd9qNySwjwV+YIY4gH2"
    "hiNpWNp2PqfJBd8Tdea7pteRMe6z6dibHN5/1huth6yzhzqGBGjPfc81kSa/JnCw3C8dh8"
    "mkbUYLAb6lkoQaT2pxC1NTSt2xtol+2BpjUy0g0pYoIJmnSb48owuXAlByb0q2YxfivG8O"
    "fro2/+eyJG+L3whb+2+qcfW/2910f7+EIbZOGvuW7w5FA++iaHAOn6g0i+R4zWHYas0ajI"
    "8vs9PBHmhOXzPEmZYr0RkDbDfywjiLAhkkT06WxCFPADjR63ZsESWCCKQee8fTlonV/g6y"
    "au+9mS/GsN2vjkULbOUq17r1Nimw9CPnUGHwn+Sf7odduSvbYrbh35xqjf4I8Gzol6wta4"
    "fa9RI7Zaw9aQa9Azkro3NZaUepJSSb0uUg95FBN7MPtI6sntOyv5d+Zth4t8uWdpU7IH/p"
    "WQdrA4ayPsW5zEd/85PHz16s3hi1ev3x4fvXlz/PbFW+grJ5x99GbBinjX+anTHSQFjA3f"
    "EnKQ/69wuoX9V3O8PTXLEwfc4YsXJU446FV4xMlnSf7GZ5Zh84B9LVjiKbKluF2z9b1o82"
    "r/NkjsWyFL985bv+0n9q6zXvensHtMBKdnvXcpzsOGZeazvXBjiZMstaUstcBfrHdDOXx5"
    "9Obo7avXR/N9ZN6yaPvIbhXwNmppBp25FViaJFJMTTNV9xyHcb2ShRGn2dw+3PDccCpr3o"
    "hfldiGXxVuwq/SW7BlTsAozDL458teN5/BEUVaqTR1Qf4hlumubeE2frjxuI4MJNeeaQmT"
    "u01833/XxfsFzEYOLd6X01twSlHEAdL78g2Yah4+ryCQOI0SycpFQuHHfclRA9/ZtsUoz5"
    "dJRJSSyDVQrUsUIfyxWaa/6/XOEkx/10krIFfn79r9vZdSAtDJFAX6NsJZFRkdkmyQzfOW"
    "reVzYCNOfQhQM40qB2wu8Up08BrheYfHx2XMnePjYnMHn337hsDpzV0M0cOGa6rf3VPH0B"
    "JPYtq5Y+p5Z8C7gO7DL31m0QJlPIZ4X+A4W2h6fgvXXNjayAFJ9DHT72xPaC5zEep4JL9O"
    "g+Eu/dF2lWuudz0f/JEcu4wNtUvswi/UPrSLvtnso8nhJN1COb2VPwnfjW/KfJUFTqr5J7"
    "vYU6VN5/0e9Ff1OIucPkBF7BtCAxdTh/uaCnHsexc9TDPi2kSMqSDsK2hxyMAUNx873pAH"
    "a/CaOS4BtZFyYlsGkb8ISEzLIqCO2RaMIpCWmY4/ejlX1Z8+g/xzCcTKnC9U6gKBTvZXoS"
    "8r7xy8uuq8zz8Hcw8+zzONJtKsx58VU7blm/A/R0+haftmpg+RxxVo+dOVI+t5uTSUI+s5"
    "Sl05srbHkRU/BsvaeXGaHXRovS1h370ttO7epnFUOrE9nrO3FS7viGBzuP/61/UzhP43tm"
    "JXjPwrXHPzeBtYOMuibRHpzgXPrQxsSzi2bPvOm2oV4xOTVLsQWbCBMI6YvV2WzzGSHdyp"
    "VxMNmoGOkxzPsvuD7TDzlv/CZpLpHZgh5Xrebp2Kit4yZhchd9Ds0Ps5sBNfZPDb4Rczf4"
    "Pug1nT75zCLl0Mxq8TBExDzTlQYA4aXQwIppHwcrBgi8SxYBIOQoJBmhnc7yGCIcfQc3vK"
    "uOZathiNyNgGdsjYdc9lDkasAx3+aXMWksUeu8TX4IQ1G/IxhcVlkD3kHZIxMARnxEbQD8"
    "HF/RMZzO4vSSIXIg5wj0jjhN4xlwwbVAz5BAxa+TqcV8EPmMKQOINhQ84YBoGu4t4mwGGX"
    "ABfZwZDfm/AFQWdKLFu/I2OQNKG6Y7suNAVwqE4tq0laOD8f87Tw7ThPZAiMa1psyH2IU8"
    "7H5CEpzJ19nZoO/GT8iYxczyRnOPsqopnaN3N2FaGhfzbwaQh/GmwytQUqxfJM+yuDlcY6"
    "w24hPFfhowofrevGv6VImcJHn6PUFT66Pfho7BQsa8HESHbQglmLSR6s2EDxWw4ISRIrKK"
    "QC32sFP+3+alc+l3X7XAKDJZe/be5NMihIammH1Bu8JoBWX0VzpNG7aHdPpL045Ke984uz"
    "9qB9QnR7MkVAY8jbv110+u33J6EBmTbcy0jm5esSonmZ1pQi2eCj1JHqVFr5QfddRFyPyi"
    "x77LYAcz3KLH5f2O4SBkOScgcNhu01ELJ2Yaj2xICrJRWn7Ag7+LGt4yB3GPxSV2iGecvc"
    "nK+tmPVZyh081FeV+iKOMyZRyyoKVJZUrfJSq3yO21dhd4JI3QEpwWblK1W+UuUrreAr9V"
    "xhT6RrK+skDZ8dLPSOxns96BVtf4XH1ky6DEO/4InvdPNdjaNRgPyNRsRlQlgMHYDoJCTX"
    "TNwzxgnNuE5XMuqQY59/ueTGdFwhHZSBguGSvWtbjOFPqo9DjyI6LP28YcA1EjsYhxxOxg"
    "O8lxG6LaXfyJWzC7lFhG3vPzY5mHIYKoehch0ph6GS+qochnVwVO26ih4AJuFJuBzckqJW"
    "nC/DeTahZiXUeE6we0b+q8MykbrQqzji//BFxQwE61Tk33tTy9RBGIlr4zlafX7HhSq+EZ"
    "IkUM5yCj/eZk6GBaIdaDGDUG6ARg36IcYhXjOdwk4aRStSC0+ZGRlT7JnR+Fcz7JDblgGt"
    "Fl6pBvW8SfpMtx2f8gZM2Fj4IAYfMiNhVcz5Aur/kPthkX4cpQWNDv6bC0KvMbTQFGBXcI"
    "w+hLEwgNGExQlTkbe7dby4TegtrNXSt7Bj505Mz1TRhcpYUGqjMhaU1J+HsfDU0l2/0nrH"
    "pkJ7vJv2gWGUNMpJI6YKPlokZcZShl05k3rrIrWmjBth9qMKwVoX7e77TvenExLQD3m/fd"
    "k7+xXjs4KsRqCKf2h1zrDlBszXugRshaGedDYBq0DDUES+bG7AvDF2z0RfJ/rkW4jLsT9B"
    "q9heMsjHt8i1yok8cihVJu9apPOo9SpecTYP5ji2k+VucRGFOcEusHaR0baO8gnhSb6EQZ"
    "0iXYFFvUWyqLcB7eMmNcHLL3wdqpGXJzR4dLAwS2is00MgeLFsV3rBPA4DH5C8u+cHCitW"
    "WPFWIBnbiRoqrPg5Sr0MVqxuoqub6HVh/OZuRNcK63p2qLDKmboDIEvtmLrWnKlyAWoh5F"
    "d56SYoFUqYzZO6bW6i6gu50W//76rTb19qF63fz9vdgXbeHnzsSffQZ09ezA6PlAnY3LaB"
    "HqSA4rTX/dDpn7cGnV431h+kcmM6E1muJda7dZrqR3W/x0W/d9q+vPTdVI6tY0oV9FRdXp"
    "2ettvv0THlerrOmJH1VQ35aat72pYtYUgbjNjqDzqts7PftX77w1VXDjGljjCpZc3mix7n"
    "Fj6NfwjVQyNLRUYuCIysVIh2gYN49wrRJjl9XCpd7PGCdLHH2XSxuJA8h8Hydl16m5OBuh"
    "i0ziHdBaZvGr42THfqibzza2Hy7ziZqrdXPf+3yb/YS6dgShKru9ZlMjCpPALPMFtGrVm+"
    "ptvuxS6qdITDI2v+9eUg9dGmq270m632F3Arx4UX8bHYg+dEfVbqwMu46OYQlrqsoRxwW/"
    "I9b6krRjngnqPUlQNuexxwtYi/Va4g5QpSrqBau4LgJHKrocURxe7ZtauH5Bf5gop2323w"
    "/9SGwQode4r0jwlTu6z9nKRapR1dD1RmCbM5A4FleJxlcPWcj9FI28nYh9M+JlZWrTI/Pp"
    "Qnpnx6mMpJYR4Hp1WKeFcQm4LYarqHbCnYoiC25yh1BbFtD8SmYtw3WW2tNpVDnh2o6dY2"
    "keizWf2q5p3K87PqAG6wiltnMnga+E0tGTqNsda/tk9kpswvDAOiLwfa+6s2hkFjSJMHbV"
    "fdi1bn/Qnx+JSaBYHUnW5U4c3kUY23qF2bl3uLnmtB5Td879WlH3wNJ2ZNgquDou7alDmm"
    "bWggZae6sVUwxg4q4NurcGftrJTYGM/ZiCsJPhhBib3eYpf7GdjICwW/MNa8aAgVd14h7j"
    "w8V5ZBt5KkKk1Nnb835ucfq14JNEanJFxnCUtNc5nzM0GoZFxnGavSgKo0YC19xDUtDXiF"
    "V0BPMQwwvzxg4vnBIgexhz2BEVHXB8uGfBpTQahfswNNbVkmg9wwKjyHgWkui+ldmxbCA8"
    "RXYZtpc3ypQYZ8iEsTK4DMZK0Pv/1fLpFGsazrRwln98EDLA3i/41FPfaQglqWfY9Lesgl"
    "DXQQ5MW+rExCicNA4Dg+2F3snloExG9gccComCCMBNKwxRjnZbpDjkVFML0xEzhroNdZ06"
    "9piAUNbW7NiD6m/Ja5MIhje7d+ZUJYeoaJHKXWkI9GVxe4D5Nms0lgbfsc+dH/37/JZ/Lp"
    "Y7vfjv784UdimRNTjEZFJUkS/vaAq/IrjoMI6Yx1yh//pP545RvaBE4b+xjKcjn+/ewel1"
    "dfxPwxaKdCObdKcQ+h9vLRBCHFzqQA2kAEQYVLz2vXOv0qbIVKZ/C4hM7pRD1LVarzdVQD"
    "dCvsfCffBhoW1n4je3jvCLUj/MslFqNfGGhpnO1nNc9HjIUKKNhEzEFaM6YVwijc9XMMEe"
    "oGCp5UqUE59eOmvo9VpxvyPTy5D+Klqckdm+0Tv1Cd1ERliB22+kOBKqkDZ7BuHbkfM/ny"
    "Iff7ubJcdlghD+hBhcaiOlIjhhH8FvjcbDjGcObwLZjcFMyalVIgK6U6XqhtKvVSqZd1UX"
    "yUermd6uVnj3JhipxrO4VKR5xEXZrMcZcplf3ZqOzq8tsTHAvqrkUx97cz6r7orkVNbLVP"
    "7Hps23ftLwWFVBLPF1pr935PjX0pW1NFmliXfnVuSdUkg6gy92gURJnKR6BeguFlumDTUB"
    "GYPzAFE0t155puKxh3yNlXmL81+w5tqhMwt6Jq4ZbtMt+AM6WhF9Qsp4bf6AobLSjbE7oN"
    "n12B8ZQxjzI1XpQ19MTWUGqtVDkFc0jVpYAyh6BkTwVGh/3XZRU9HXtflkou/HJBcuGX2e"
    "TCdGoWX/Aq5nKKbPcUutVboOEmnuHyIuA7RrQuE3SjC/pJ7s/hAY46Sg7rF4XUxslUGG2F"
    "MNopnVk2zVnpP1/2ugVwQESStlZMXZB/iGW62wi5LGA4MiPB8Eym8nRS8pTCggOkM5Vv34"
    "UisOR0Bl9auCYq1IU4bXeCOuH+CPNKDfJGj1+oQV4S+qnb828A3XLbqWs9cSoEm0xFjvCK"
    "k7rFSHbGNboyeNLCm2SV6/wmqXZBsVmEjayn2K//OS5V7DdBqoCrugNXiWM/3HGXEHyaVk"
    "Xe180bUBOIssUcUx83csDJ4MnBIliSRn3WmdOqEkxXeLrnokQ553qw0OsLEq3kXC9G5ZaA"
    "Lx4LXdTuVNlAxmH4qCpwOOi+g9xdCwwHbxS5ORiLTeYYiTKZK5rMT3qYffs/YfURag=="
)
