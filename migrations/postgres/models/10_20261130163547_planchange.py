from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "plan_change" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "id" UUID NOT NULL PRIMARY KEY,
    "user_id" VARCHAR(255) NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "stripe_price_id" VARCHAR(255),
    "stripe_invoice_id" VARCHAR(255),
    "request_digest" VARCHAR(64) NOT NULL,
    "idempotency_key" VARCHAR(255),
    "subscription_id" UUID NOT NULL REFERENCES "subscription" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_plan_change_user_id_7e2cfc" UNIQUE ("user_id", "idempotency_key")
);
COMMENT ON TABLE "plan_change" IS 'What a changePlan did, so that the same client key returns it again';
        ALTER TABLE "subscription" ADD "quoted_price_id" VARCHAR(255);
        ALTER TABLE "subscription" ADD "scheduled_at" TIMESTAMPTZ;
        ALTER TABLE "subscription" ADD "scheduled_price_id" VARCHAR(255);
        ALTER TABLE "subscription" ADD "stripe_schedule_id" VARCHAR(255);
        ALTER TABLE "subscription" ADD "quoted_proration_date" TIMESTAMPTZ;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "subscription" DROP COLUMN "quoted_price_id";
        ALTER TABLE "subscription" DROP COLUMN "scheduled_at";
        ALTER TABLE "subscription" DROP COLUMN "scheduled_price_id";
        ALTER TABLE "subscription" DROP COLUMN "stripe_schedule_id";
        ALTER TABLE "subscription" DROP COLUMN "quoted_proration_date";
        DROP TABLE IF EXISTS "plan_change";"""


MODELS_STATE = (
    "eJztXVtz20ay/itTeolcR1HZ8iVeZfdUURTscCOTOiQdZzdMgSNgKKIEzjC4WGbt+r+f7g"
    "FA4koBFEmB0LzoAkwPgO65dH/d0/2fo5kwme2eXtuUH52T/xxxOmPwR+L6CTmi8/nqKl7w"
    "6I0tG86jFjeu51DDg2sTarsMLpnMNRxr7lkC+z5qEZfZNtIRJDol4/EdW4zHxHKJN2XElX"
    "0Sg3rUFrfEMsnxxGHQ0dxhM8ufnZDT09MXP+PDTGHA0yx+u8V+R3w8xk7nTP/KHBdeGrrA"
    "T7pzieW5ZCDvkWtHmL7hneJr+Nz6y2e6J24ZPMiBl/njT7hscZN9Y2707/xOn1jMNhP8hT"
    "fEHuQN3VvM5cX2lDofZFP8xhvdELY/47Hm84U3FXzZHl4Xr94yzhzqMTPGe+4HLIldCt4W"
    "LniOz5avaa4umGxCfRsliNTBK6yuHel6tzfUB9pQ148y0o0oYoIJLxmC48iwuOdKDszoN9"
    "1m/Nabwr/v3nwPnrNiRNAKH/hbq9/+pdU/fvfmBT5QgCyCMdcN75zJW99lFyDdoBPJ9xWj"
    "DYcha3TqZfl9CXc8a8byeZ6kTLHeDElPoz82EUR0YSWJ1dTZhyjgA80etxfhEFgjimHnkz"
    "YYtj5d4+NmrvuXLfnXGmp450xeXaSuHr9LiW3ZCfnSGf5C8F/y715Xk+wVrnfryCeu2g3/"
    "fYTvRH1P6Fzc69SMjdboasQ1aLmSuj83N5R6klJJvS5Sj3gUE3v49iupJ5fvrOQvrNsO9/"
    "LlnqVNyR74V0La4eCsjbBv8SV+/NvZ2evXP529fP3u/ds3P/309v3L99BWvnD21k9rRsRF"
    "52OnO0wKGC98T8hB/q6wu0Xtt7O9PTXLExvc2cuXJXY4aFW4xcl7Sf7G3yzD5iH7VjDEU2"
    "Qbcbtm43vd4qX9PkysWxFLjz+1fn+RWLuuet2PUfOYCNpXvYsU52HBsvLZXriwxEk2WlI2"
    "GuAvd7ugnL1689Ob96/fvVmuI8sr65aP7FIBT6O2btKFW4GlSSLF1DRTDd9xGDcqWRhxmv"
    "2tw0e+G73Kjhfi1yWW4deFi/Dr9BJsWzMwCrMM/ueg181n8IoirVRahkf+S2zL3dnAPfr7"
    "xOcGMpDc+JbtWdw9xef97654v4bZyKH163J6CU4pithBel2egKnm4/0KAonTKJFsXSQUPu"
    "5rjhp4IYTNKM+XyYooJZEboNqVKCL4Y79Mv+j1rhJMv+ikFZDPny60/vErKQFoZHkF+jbC"
    "WRUZHZHskc3LKwfL59BGnAcQoG6ZVTbYXOKt6OA1wvPO3r4tY+68fVts7uC9798ROJ3cxR"
    "A9vHBDjbt76ph64k5MO3csI28PuAjpPvzaZzYtUMZjiPc19nOApuf3aMxFV49yQBJjyow7"
    "4Xu6y1yEOh7Jr3bY3SDoralcc/2bZeeP5Ngg1lWT2IUzVJyJojmbvTU7m6WvUE5v5Sfhs/"
    "FJmVlZ4KRaTtn1nip9vmz3oL+qx9nK6QNUREwIlS6mH1wSLuMn5H4KovvKHOkjugOZnEMj"
    "k7rTGwFfTXyXORmP1dZ6HvEZXRBqmuSesTt7QYRDBGc/IjRNgtUQ+7GMKaEOIzPLcYTDTN"
    "A4PcJl366wTXLsMobuLxirLrXZePzilHR4oIsRR9y76ENbQFviwTsR9g30VPgUEk6KG+a4"
    "8FhCOYHeRlw+GEgs2yagIAobevGQlllO4KIr5zz7IxBZsFPCQGPOVyq1k1BL/LPQu5a3M3"
    "/+3LnM35lzt2Lft8xTpNmNhy2m/ssn4Y83T6H7B4ZvANrHVXr56cq19rycLMq19hylrlxr"
    "h+NakyzLcL/Y6oza7xHSdRhiyci6XXE+YXK+elfC4nyVnjorgxNvJXkcVzXK8jlO00A35v"
    "sSPH5fyOL3RRwGBvo8Zx8pXEqyhHtbSl7tdh3ZmvOHzirydEWwP0/a7tflZ+hM29tqsGVf"
    "mvIU7B/BBgt9U/x6Rdq4cNStwdcJV7EQd/5crxjxm6RqQqzOHgKjYnhRWT7HSBq4Um8nvj"
    "rjjElyPMvuD8Jh1i3/lS0k0zvwhpQbeat16pzBgTG7CAuHyw69XwKT8UEG3w5fzIIFug9m"
    "eb/ThlW62L21S1g97bzJAddz/DvFEHvat1QOaG+RuHeFRJ2QsJPTDH7+EMGISzR7zrju2s"
    "Ibj8lUADvkaRCEzfEMCNDhv4KziCx22yWBBufZixGfUhhcJjlG3iEZ4uYLIhC0RnD8xbkE"
    "6IMhSeRAxA4QvSczesdcMjqi3ojPhOvJx+F7FXzAHLqUuP6RfGPoBJp694IAh10CXGQnI3"
    "5vwQyCxpTYwrgjU5A0oYYjXBcuhW4Fg9r2KWnh+wWYvY1Px/dEhqBLwGYjHkD08n0sHpHC"
    "u7NvcwvdBPiJjNwsJGc4++at3lRMluwqQvP/OMK7EXxvstlceKgUyz3tzwzWH2sMq4Xnuw"
    "rfV/h+XRf+A0V6Fb7/HKWu8P3Dwfdju2BZCyZG0kALZicmeThiQ8VvMyAkSaygkAp8rxX8"
    "1PzRrvxZu/ZnhQZLLn817s8yKEhqaEfUe/TSotVX0Rw56l1r3XNpL454u/fp+kobaufEEL"
    "M5Ahojrv1+3elrl+eRAZk23J/Gnes7lUZ+2LyJiOubMsMem63BXN9kBn8gbHcDgyFJ2UCD"
    "4XANhKxdGKk9MeBqQ8Up20MDJ9suNnKHwZe6nm5at8zNmW3FrM9SNnBT31YymTjOmEQtqy"
    "hQWVI1ykuN8iVuX4XdCSJ1qqoEm5WvVPlKla+0gq/Udz0xk66trJM0uney1jsab/WgV1T7"
    "BrfxSA9nS7/geeB0C1yN43GI/I3HxGWeZzN0AKKTkNww754xTmjGdbqVXkcc2/zgkonluJ"
    "50UIYKhkuOb4Q3hX+pMY08iuiwDDLxAddIbGMccdgZT/BcUeS2lH4jV75dxC3iCfHisen2"
    "lMNQOQyV60g5DJXUlcNQOQy37TBsuqkUjtdII9kM9kpRK86X4TybUasSer8kaB7Y8vqsTM"
    "Q0tCo+eXGWiZjea6rOWrN3JwHpsJ/CllspLVmM5FFZyWrG7H2nHws/QJ/TxYxxT5+BzSgq"
    "rdvFPTRw8D9t3qYEhx+bwCno7NNSWgdmMzxNfp0E0/Jy7KS5uibPTma+lDkCEFKRgIq49C"
    "szyUQ4hAYx+cfU86gxxaj0KJVMBBqFitWLvIMC2+gWjxMMpzITDrkVzA3C8sNmLl1gfQgM"
    "mzdZ0FXp9DYxRTwGgKiwd4Vi1XRtOlA8Q6FYz1HqCsVSKNYhzbL9hV8nFLQN47Dz+lCYVh"
    "kpSPZU4HjUvoGjfPsRWzcO5ZXG85KgeUb967NSeOEauDCTyoK63psq3F0SNI+7ZYZu8cjN"
    "DFz2ba7PBIeuM+wdzKhtF6ohCcIGaSCvz356t9Q58J91WsbgU+vqKqtWIG8WjDqb8DSiUy"
    "xNsPQe+MYqhWauKJq3CGx/iV3rZCwGe9Z7Fx+F+tQDD90A5FkTihkPxXtkOGY89u8wWftg"
    "SGZqcCXCMtutQbt1qT1VVOalP7ctA1ieyKqfA2DnNzxZB2SbEUniyEo5QBtTvCdzvOAosp"
    "lJQN0kDpv4MqnMDTMoGLKr1DPURrBlQaYUW2YA7e10O+LCNuGqjfndBWenpM8M4QSUE5gA"
    "sVwwmEmGmYkQ0SVfiGViBnrMcRMkxbHhooN/c4/QG8wTY3lkAqMbyKEvBNAtGGvwKjLlvS"
    "GzyNNbGHoKM1eYeZbzCj1VmLmSes0wc4XV7gMlvGNzT3/8mdsHulHSKCeNmCr4aJGU6Ush"
    "6eX8GQeXdmPOuFm9NMLRtda97HQ/npOQfsT72qB39Rsm2whLLIEq/qHVucIrE2rZdcm+kf"
    "IXYV4ZvmnpxLw+mocp7dL1F1iIm7E/QavYXjJjQ2CR65WrMuRQqkLntajNUOtRvOXSDAwL"
    "Bma5O2TfijwnEUETWLvOaNN+HybstUzM+tJmu+p1P0bN04Hs6dUi2Mk3MKhTpFuwqA9IFv"
    "U2oAPcpEJg/E7xcsud+xK5zyLk4a2TtZh4rNGDIDgGTYPSJlMFhIRhqdMwKvs4xJmpbWOV"
    "0SgpgQGL9y3LiefeRocqi4DCkhWqqLBkJfUaYMkq/roe8dchL8M9dTN8IEmsEMwy+IAq1t"
    "gAQKB2TN0lInB4mHt1Th99afW7ne5HvatplwO9rw2ue92Bdk7A/uLAeZ0zZro6bINz4Dwb"
    "8aj95+6l1of2v3W0L6vWiOM50Pqrxe5XbcH+HyBYH7UybOEiiJ9+ZvpZyWek+u51oUPBRx"
    "w6H57Lqk+buAG2H9YIKoybt8GvS1kbUdR5qNTm4AMmQN1IfU4QNlB7PlxtOWskLT1glYCI"
    "JNV+AYnDCAyugsVlpJEVRY+zoYAfJSOIr1f9HKIAHs7omhh/ZZK6biOXxVFxFov1EGdMrA"
    "9CnMW82mpBxHik6wnJq5W4vtHcd2AasHQrBXQqoLOem/aBQl4K6HyOUldA5+EAnSp4+QkS"
    "TdQj6K9eyrMClxW4fPirx5bB5WAA6lHsY+Whm6BU4ZJZL98zwO772v997vS1gX7d+tcnrT"
    "vUP2nDX3oyTv4vX5YbTOYuwlD6kKLd637o9D+1hh3E0ZftQSoTy5nJvKOx1q12qh01ghbX"
    "/V5bGwyCeH1HGFgoGEP2B5/bbU27RNDf9Q2DMTMbtD/i7Va3rckr0dle6LHVH3ZaV1f/0v"
    "vaB3QAwN05dTyL2vZiOejx3aK78Ynw9Oh/XEQVFs8UWRNCSpOcflsq5/TbNTmn32ZzTsfA"
    "nk2meYx8n+VoOdMjq7XKbAdrTUfz7JxEPeA8uxi0+53rYHrGT1fB7Oprl50hrA3tX8+x3J"
    "BpYYJn426TebKzwzKqxubTKc24DPsOg83Bdeltziwqjn3PIW0C0/cdBR/GEeUM+wshbEZ5"
    "wWYRI0ux/QbodrVyLa/sl/MXvd5VgvMXnTRrP3+60GD9kWKARpZXAImES4bFvwrL2DD2K0"
    "ms6m+WWGhUbdnnWEG51izfUQXUYu96+qDkI0s/9GUn9bFFH+1JzzlLqlPPg9nvbYVVraCv"
    "JnGs0uGpjNJRzNQopuNh1sbOUR3WYrCWpxUCMMJpmBN/sZqgxeEXzqrNVqMvMvEVybAUFR"
    "eh4iLqv+wdqIdcxUU8R6mruIjDiYtw65AfRnnolYdeeehr7aHf+zmeuq3OO/aUrnPRF62+"
    "h+CWrw2D63aEph42/zYO0ZQ4GFM5uf4jjsbUg7E7OByzea6gmOKxAv4eC3dVRRJrtqBvF/"
    "SK2FCIfcX49BAEpseEVKaCbkBFbizbvnXofEqoe8fMKJX/RDgnxBCzmQW9LvP8QxNgTl7h"
    "3Ef0hvVyO55LLJMExQGwdkBIGHNdkTu2OCGugEfNGQ1KAXASfjQ5phOsJUBHHA8xwx33ns"
    "EzKTEc6k7xDzTmhe+9wDgpwrEAQfTS3r1lsJ/J/dSyGcHzrSfE8twRD7RneG/46QZ1B6Dr"
    "+ymV5XttNvEwm5QXJJnCWVmUMCoNHj58mCvZPtyzFdCogMaabl8HCjkpoPE5Sr0M0Kiglu"
    "1CLWE8xGapjbOkDUJut8hihbXsEgpQEVhPF4EFk/+mEsfTdA0Eu3bM702SSidpG6jxHK6G"
    "k1VsD+94l0w+VdFmPOpda91zadaPeKs7+KL18cBTABBEh6AG0Rkod7MjUNs/2iET4wO7zU"
    "q135NUzdtitr+pq4oF+zyrobwpW4OpMoG+1Xi6LvqiCktrdQxDead2y9j9e6fSozwrhYrJ"
    "80rH/NdxYD/I/8Ss3n3mPJty0EW4xDGyyfNWd0/W5s+Ddrqxavig6+oLOmAoCUjwKcS0TO"
    "kZ8vAO+mNceBVi2BbW+AB7G1Q7z3e4i+WlpRsn48DaQp8jfkxl5eqwKba5t7wpqJoCHUEk"
    "NI/QdwRPEnxiW4ZXWGSkUvY/5RhSjqF67hwH6iJQjqHnKPUyjiGVEW4v5aytPF1vTd3qsH"
    "0D+bu7GrvOxuf346RNwEH2l+OwbmkTms/4Jz/DX+/lZfulJZSf9CmWl4dyQBVbfQ8nf3qe"
    "GOsaTDDOsi0Ag4NUd4fJ4gfRqZyBlsCo2q1Bu3WpbS1+vSKclZBCDqCVllIxpJUeHodTF0"
    "KFGCskqaarzIFiCgpJeo5SL4MkqVwG9chloBC9PeIf9clVu4GG0QgJGL7riVnlIZ9PrUZ/"
    "tQonTwi5PkuuH1qEa3V+Hw37ndaVLB4A/Ka2LB2AtQZ+084Jlhj4yrAgwGCoX37WsAwAAp"
    "q+LAx83epcYkngObUKCgl0uu3ep+srbQiUFjfEbI62evy6rv1+3ZERtav7Ovs2t5ygEEEQ"
    "Wjunm0bWbj/iM0jg4ulz5ljC1EHKTnVjq6CPBirgh6twZ+2slNhYno+xkuBZrtdRib1mYp"
    "frGdjIawW/Nlt8URcqc3yFzPHRvrIJupUk3cKEq5np26T5xrCS0AZCjtMpCddZwlLT3GT/"
    "TBAqGddZxhHcYkyZ6dsbWq0pauXML2e3hlwzNwMMcqkV6yuyvvr+laZV61ud17e/fOFtOM"
    "NySNX0KjW9lpyD9hLAx7lQdZ4VdqImXJ0nnGm5MpVe5VPtGcLmTbadVPZc8m3OHANRKzGZ"
    "ZPn+wRa0wMtc1EGK/xPs4fAksIbhl73PF1caue5r7c6g0+smJ5O8mQQ7+lrrqoj7Ya3pXO"
    "av8/EXdKAc/Zs6+lfryAZ533OJm7cQbTn/+5JrYPK7G6jUefRql6/zLq+i/5/jGZdas3z7"
    "R1xkzoJqNmOMpM7hBE/K4nVZWIB9Obpr5RQsYTcHxuzS+VdWg6xy8pXU6A5SYTyybGgyB0"
    "hDmF6tZmjFQyifsRR8G1Ueedgjcwglcf9k3SEUH1vqRqxp2cwqGN2KP0xMb0/JhFHPdxix"
    "OBGcyRT/mHw/cIRnawFs0gmWAIBJjKUBFkFCfXn9B5fI0BqZiIUSzu7DG0EOFfzfEffkGC"
    "mobYt7nPwjLmmggUdeviCYk4VizQCbYv+gurN7ahMYmKYLr7LK1wI9gTSEN8X3stxRVCLA"
    "ZR6+NdAb7JSMx/hN4zGQ2oswXwxWLHCEfzuVncF4MS3kKLVHfDz+fI1qGTk9PSUwIAOO/C"
    "P49T/kL/LlF62vrf79+z+Ibc0sbzwulRcm5KqcgPFQJJUfplanelSE+T6U4NhkKMvl+Pxp"
    "Hpd3oPc+ImZSxUoelB0fBeyWxysjiv3VP3i5q2m0N3gyY/E8zdFnqVX2mSGcpHqQc7uEzu"
    "msWj6ocvY4CwosgQI0HmPjO/k00LAMUOnIcZiVWf6HRZfoVwZaGmcvsprnI/qSNag47LlI"
    "a8W0QuiFuzTQP6gbKnhSpQblNDh9+bO8GgzcET/GnfskXbjqRVjaiobVq+ApmB9QdgWqpA"
    "GcAXWTk/spkw8f8aCdSxypdgbMB3oHEwvOA40YegiuwHQTsI3hm8NcsLjlMXuxlcSC5bVN"
    "pV4q9bIuio9SLw9TvfzLp9yzvBynQaHSESdRhZdynJ5KZX82KrtyvT3BtqAythRz/zBzdx"
    "RlbKmJrfaF3UyFuNO+MumRyBhriftrrbX7oKXOlk1LmWuDoDSvpDolw6XtAzZXGPUvb4F6"
    "CYaX5QYFcwPzB17B+sqcRa7ptoV+R5x9g/e3Fz+iTXUO5pbpz23LgDlDbOGGtYUtaehJzw"
    "CO0OCi6wm0oITvGQKmXYHxlDGPVofEw+msrKEntoZSY6XKLphDqlKLlNkEJXsqMDpqvyur"
    "6OnY+6pUIO+rNYG8r7KBvHRuFaeJKuZyiqx5Ct32LdBoEc9weR3wHSPalQm61wH9JMG5uI"
    "HPcg8GrD2YHydTh/ErHMaf04UtaM5I/+eg1y2AA1YkaWvFMjzyX2Jb7iFCLmsYjsxIMDxT"
    "BS9d8C6lsGAH6Sp4h5eWCCw5g8FMi8ZE6eREfa2tdX4LqmsGPYz4db/X1gZBXiBHGMx1Za"
    "qhj91ekEfolguZPOhDqyPTEU2oZW+WPGj7pROo57HZ3MsRXnFh+BhJY1yjW4MnbcxHVbkI"
    "Z5KqCYrNOmxkF5U4o+m4UZnnBKkCruoOXCW2/WjF3UDwaVp1EKdu3oCaQJQ937sR3woRyv"
    "jtk3UApZANq+KTppiBQCMccTyOD9sAOXSZdxJGXYTxxg6z6SKo9TilmIYoF6HcSs8jbnnE"
    "E9iLsyCm7+DXkjCr7Q1zyDEXnjVB0BI+yoWmJl38TMDINC2MasZ4Zh/+HHEb5pXz4oFwFc"
    "sh9w5YAW5pSDM9zYUhjzwGZQMUuPmk4GbdgLZGgT9PEEdTs/1vD1BxfDWpqH+kSBuoeB66"
    "/qEAploATErJb/Ikq4mS341pqZeRXz9H289tt1btj+u/ejxk4GH9vxVq52QiHFCVCePmXF"
    "ihth6sLqCoT4Udev1luAC5EeYC9HVQkk/IxIIhSYKxnzAAttf1iE8o/xGMGxnFHdgBDvPg"
    "ZxCS4ELXBH+4K8VednFKWvI6GAmGTa2ZO+LSxBD3aG2A7eHh2cXx2BbGHUxgn3uWDe90TD"
    "HW3ZXxEIZD3Skzw25+cIOOMG4CU7a7wXnJ4Nl04uGDxGxmBR3L4HdsXhxaHnedRwzKCSpf"
    "YdjwYE8PIdJlXbJkZJSlYiqe2uwoDqYo5vWaKIrnWU8ykSJZMqeqNZekUjZdmROLRVposX"
    "OhWAs9TBbv27VwgO7Na6172el+rOrdDMnOSfjHiF9qV53fNOnHXP658mQGv5Uns7meTFjx"
    "5/AYphdNgkLmFpE3KN3f1lidVhozXF5v4uaQKyu3blZuYmrF7Jmqwk7TKknXWdLSDNYnjp"
    "hVlXOSUmHDtRazOjRVvFc2N/YkAoSqAglJMoUlrM+UuITdMiyunC0xDt1qsW4Pk80PZk9M"
    "DbREBsV2a9BuXWrrEijuC2xfSuIBsD0usZJge3zsPAi2F/P/4SgThec+bcYQJ0ePXhPl4O"
    "SpzoeJhqVCHF6+eV8mxgGaFQc5yJs5+G6O+V/s+15R7N/1HRvSN75lexZ3T/F5TzGqd3Pi"
    "goHeWCkv9oqigaP+1VmZQQ+tivHEs+yQ5/jtVQurxqj2eHwrWtQP9vSWMqCKh3qzDKgK0R"
    "6xshtB0IT12PzdRbEbBzYkigyAnWbybgH/jelRjpIe3lmrltNVm9ro4YW+i1w1PMdWDMf4"
    "4/Tv2vspitXuDc7wP/b8ft2m4h4ijHFSVeBw2LyB3N1JLgp4osfy0KVi0yZGosJ6K1oxTx"
    "rs+f3/Acz7xZ4="
)
