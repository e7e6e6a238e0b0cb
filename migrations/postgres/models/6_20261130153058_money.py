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
    "eJztXW1z27gR/isYfTl76vMkzmt9bWcUm8mpZ0uupCTXnm4omIQtjilQIUgrmjb/vbsgKf"
    "FVJmVJpmR8cSIQC4K7eNl9drH4b2PsmMwWx1c25Y1T8t8Gp2MG/0mUH5EGnUwWpVjg0Wtb"
    "VpxENa6F51LDg7IbagsGRSYThmtNPMvBthtNIphtIx1BomMyHN6x2XBILEG8ESNCtkkM6l"
    "HbuSWWSQ5uXAYNTVw2tvzxETk+Pj78BV9mOga8zeK3a2x3wIdDbHTC9HvmCug0NIGfdCeI"
    "5QnSk8/IleuYvuEdYzd8bn3zme45twxe5EJn/vgTii1usu9MRD8nd/qNxWwzwV/oIbYgH+"
    "jebCILz0bU/Sir4jde64Zj+2Meqz6ZeSOHz+tDd7H0lnHmUo+ZMd5zP2BJrCjoLRR4rs/m"
    "3TQXBSa7ob6NEkTqoAuLsoautzt9vaf1db2RkW5EERNMWGQ4HEeGxT0hOTCm33Wb8VtvBD"
    "/fvv4RvGfBiKAWvvBLs3v2a7N78Pb1Ib7QAVkEY64dPjmRj37IJkC6QSOS7wtGGy5D1ujU"
    "y/L7HJ541pjl8zxJmWK9GZIeR/9ZRRBRwUISi6mzDVHAB5odbs/CIbBEFP3WpdbrNy+v8H"
    "VjIb7Zkn/NvoZPTmTpLFV68DYltnkj5Gur/yvBn+Q/nbYm2esI79aVb1zU6/+ngX2ivufo"
    "3Jnq1IyN1qg04hrUXEjdn5grSj1JqaReF6lHPIqJPez9QurJ5Tsr+Q/WbYt7+XLP0qZkD/"
    "wrIe1wcNZG2LfYiZ//enLy6tW7kxev3r5/8/rduzfvX7yHurLD2UfvloyID61PrXY/KWAs"
    "+JGQg/y3wu4W1V/P9vbULE9scCcvXpTY4aBW4RYnnyX5G+9Zhs199r1giKfIVuJ2zcb3ss"
    "VL+72fWLcilh5cNn8/TKxdF532p6h6TARnF50PKc7DgmXls71wYYmTrLSkrDTAX2x2QTl5"
    "+frd6/ev3r6eryPzkmXLR3apgLdRWzfpTFRgaZJIMTXNVMN3XcaNShZGnGZ763DDF1FXNr"
    "wQvyqxDL8qXIRfpZdg2xqDUZhl8D97nXY+gxcUaaXSMjzyP2JbYmMDt/G3G58byEBy7Vu2"
    "Z3FxjO/7x6Z4v4TZyKHl63J6CU4pithAel2+AVPNx+cVBBKnUSJZu0gofNx9jhr4wXFsRn"
    "m+TBZEKYlcA9WmRBHBH9tl+odO5yLB9A+ttALy+fKD1j14KSUAlSyvQN9GOKsioyOSLbJ5"
    "XrKzfA5txEkAAeqWWWWDzSVeiw5eIzzv5M2bMubOmzfF5g4++/EDgdObuxiihwXX1LibUt"
    "fUE09i2rlrGXl7wIeQ7uNvXWbTAmU8hnhfYTs7aHr+iMZcVNrIAUmMETPuHN/TBRMIdTyS"
    "X2dhc72gtX3lmvCv540/kmO9WFP7xC6coc6JUzRns4/GJ+N0CeX0Vn4SvhvflJmVBU6q+Z"
    "Rd7qnSJ/N6D/qrOpwtnD5ARZwbQqWL6SdBwmX8iExHILp75kof0R3I5BQqmVSMrh34auIL"
    "5mY8VmtrecDHdEaoaZIpY3f2jDgucTj7GaFpEqyG2I5ljAh1GRlbruu4zASN0yNcti0c2y"
    "QHgjF0f8FYFdRmw+HhMWnxQBcjrjMV6EObQV3iQZ8I+w56KnwKCSfFNXMFvJZQTqC1AZcv"
    "BhLLtgkoiI4NrXhIyyw3cNGVc579EYgs2ClhoDH3nkrtJNQS/yz0ruXtzJ8/t87zd+bcrd"
    "j3LfMYaTbjYYup//JN+Of1U+j+geEbgPZxlV5+unKtPS8ni3KtPUepK9fa7rjWJMsy3C+2"
    "OqP6W4R0XYZYMrJuU5xPmJwv35awOF+mp87C4MRHSR7HVY2yfI7T7KEb830JHr8vZPH7Ig"
    "4DA32es48ULiVZwq0tJS83u46szflDxxV5uiDYnidt8+vyM3SmbW01WLMvTXkKto9gg4W+"
    "Kn69IN27cNS1wdcJV7Hj3PkTvWLEb5JqH2J1thAYFcOLyvI5RrKHK/V64qszzpgkx7Ps/u"
    "i4zLrlv7GZZHoLeki5kbdap84Z7Bizi7BwKHbpdA5MxgcZfDt8MQsW6C6Y5d3WGazSxe6t"
    "TcLqaedNDrie498phtjTvqVyQHuTxL0rJGqEhI0cZ/DzhwgGXKLZE8Z1YTvecEhGDrBDng"
    "ZB2BzPgAAd/nQ4i8hijwUJNDjPng34iMLgMskB8g7JEDefEQdBawTHD08lQB8MSSIHIjaA"
    "6D0Z0zsmyKBBvQEfO8KTr8N+FXzABJqUuH5D9hgagare1CHAYUGAi+xowKcWzCCoTIntGH"
    "dkBJIm1HAdIaAodCsY1LaPSRP7F2D2Nr4d+4kMQZeAzQY8gOhlfywekULf2feJhW4C/ERG"
    "rmeSM5x99xY9dW7m7CpC8/9o4NMIvjfZeOJ4qBTLPe3PDNYfqwyrhecLhe8rfL+uC/+OIr"
    "0K33+OUlf4/u7g+7FdsKwFEyPZQwtmIyZ5OGJDxW81ICRJrKCQCnyvFfy0/6Nd+bM27c8K"
    "DZZc/mrcH2dQkNTQjqi36KVFq6+iOdLoXGntU2kvDvhZ5/LqQutrp8RwxhMENAZc+/2q1d"
    "XOTyMDMm24P40713crjfyw+j4irq/LDHustgRzfZ0Z/IGwxQoGQ5JyDw2G3TUQsnZhpPbE"
    "gKsVFadsC3s42TaxkbsMvlR4umndMpEz24pZn6Xcw019Xclk4jhjErWsokBlSdUoLzXK57"
    "h9FXYniNSpqhJsVr5S5StVvtIKvlJfeM5YurayTtLo2dFS72i81oNeUe07PMYjPZzN/YKn"
    "gdMtcDUOhyHyNxwSwTzPZugARCchuWbelDFOaMZ1upZWBxzr/CTIjeUKTzooQwVDkINrxx"
    "vBT2qMIo8iOiyDTHzANRLbGAccdsYjPFcUuS2l30jI3kXcIp7jHD423Z5yGCqHoXIdKYeh"
    "kvq6HIZ1cFTtu4oeAibRTrga3JKiVpwvw3k2plYl1HhOsH9G/quTMpG6UKs44v/kRcWcHp"
    "tU5M/9iW0ZIIxEIoYcrT6/4lIV34xIEihnOYUfswIkwwLRDrSZSSg3QaMG/RDjEK+ZQWEl"
    "XUQrUht3mRkZUayZ0fjX0+yAO7YJpTamBAD1/Jh0meG4AeUNmLCx8EEMPmRmwqqY8wXUf0"
    "xagGGRQRylDYUu/p97hF5jaKHlgV3BMfoQ2sIARgsGJ3RFZkkwZOIBegtjtXQWgdi+E9Mz"
    "VXShMhaU2qiMBSX152EsPLV0N6+03rGJpz/eTftAM0oa5aQRUwUfLZIybSnDrpxJvXORWh"
    "PGzerZNBpXWvu81f50SkL6Ae9qvc7FF4zPCrNygSr+sdm6wJIbMF/rErAVhXrS2RisAh1D"
    "Efmq2Tbz2tg/E32T6FNgIa7G/gStYnvJIJ/AItcrJ/LIoVS58WuRzqPWo3jN2TwY5pjMcr"
    "f4WpI5wT6wdpnRtokLSaKdfAWDOkW6Bot6h2RRbwM6wE3qgpdbYuLLGJwsQh4+OlqKiccq"
    "PQiC90eMgNImo0tCwjA7bqDJkYMQZ6a2jYlpozgWAxbvW3aYzRWwjgZV4InCkhWqqLBkJf"
    "UaYMnqpHo9TqqHvAz31NXwgSSxQjDL4AMqv+ceAAK1Y+omEYHdw9yrc7rxtdltt9qf9Lam"
    "nff0rta76rR72ikB+4sD53XOmCl02AYnwHk24FH9z+1zrQv1v7S0r4vaiOO5UPveYtNFXb"
    "D/ewjWR7UM2xEI4qffmX5X8h2ptjttaNDhAw6N909lorBV3ACvTkoFiS2JEcsCoVTkbfDL"
    "TjlGFHUeKrU53Yhn5lZSnxOEe6g97662nDWS5h6wSkBEkmq7gMTTCPYB9OFRWFxGGllRdD"
    "jrO/Cn7BnARTu7KICHDwEmxl+Zc4CPu14sZGcOxBnj9JKrxWKVHoI4i3m11hya8UjXI5KX"
    "XjNVSUGYCsKs53a8o2CWgjCfo9QVhLk7EKYKS95m0sdahfPVSy1WsLGCjXd/9Vj3tVByAO"
    "pRVGPloZugVIGQWf/dM0Dlu9q/Pre6Wk+/av77Umv39Uut/2tHRsB/82XuyWhLGYPN7ZgY"
    "JB9SnHXaH1vdy2a/hQj5vD5I5cZyx/KO91jt5lmqHjWCGlfdzpnW6wWR+K5jYNZoDMbvfT"
    "4707RzhPOFbxiMmdlw/AE/a7bPNFkSndqFFpvdfqt5cfFvvat9RGgfnk6o61nUtmfzQY99"
    "i57GJ8LT4/pxEVVYPFNk+xAsmuT0m1I3Yr1ZciPWm+yNWDiQfJfB8BaC3uZcslccl5tDug"
    "9M33aEbhjjkLN/Lb3fME62xRsO5yW7fsWhxe+dlbPMJ4lVOskySeZVqtRnmBC41izfUELP"
    "Ys9f+hBXjnb9IST8+FuX2bRAmQldT13ZSH206Ud7+XLOuenU82D2e2thVTNoa584VulgR0"
    "bpKGZq5G9+mLWxMx67tRgs5WkF53A4DXN8w4sJWuwadhd11uoZzvh+ky5z5dlVnt36L3s7"
    "6uNTnt3nKHXl2d0dz24tclcoH6PyMSofY619jFs/Y1C31XnDvp5lTsai1XcXHIu1YXDdwv"
    "vrYfOvI8C/RNB+9at7Vg/brwdjNxC4v3oek5jisQD+Hgt3VUUSa7agrxf0ithQiH3F+PQQ"
    "BKbHhPRwHphmGLRAri3bvnXpZESouGNmlGb8xnGP8ObZsQWtznOQQxVgTjYJzKNaG/ABb3"
    "mCWCYJEpdjXvOQMOa6ItFdRi6bMBqkKeck/GhyQG8wzzkdcDxgCU/ElME7KTFcKkb4HzTm"
    "Hd87xEgPwjE5etRpb2oZ7BcyHVk2k7fvHhHLEwMeaM/Qb/grgpzo0PR0RD3Mwm6zGw8z3X"
    "hBAhyclUXJbNLg4cMHTZL1wz1bAY0KaKzp9rWjkJMCGp+j1MsAjQpqWS/UEsZDrJZ2NUu6"
    "R8jtGlmssJZNQgEqAuvpIrBg8l9X4niabg/Brg3ze5WEt0naPdR4dlfDySq2u3dARSbGqW"
    "gzNjpXWvtUmvUD3mz3vmpdPLIRAATRMY5edIpD1OWOBpm0G9ht5sSYLbklMUG1f1vM+jd1"
    "lU19m2c1lDdlbTBVJtC3Gk+XRV9UYWmtjmEo79RmGbt971R6lGelUDGxV+mY/zoO7Af5n5"
    "jVG8/q9dD9vuWv9a18me/jQrkrpfFSXhfldanpsryj+LvyujxHqavw7t0J71aJu7aYuOsR"
    "99YWt6AC6itIwPCF54wrD/l8ajX6q6Wtc1fOIhEnVVzf1/uZq/O7AZZu80JmhAJ+U1vmg8"
    "IEUl+0U4J5o+4ZZnnq9fXzzxrmdsI8Db68x+Gq2TrHGxwm1CrIDtVqn3Uury60PlBa3HDG"
    "EzSx4+W69vtVSzoZFs919n1iuUF2qcDbMKGrOhvWD4IHZ1o8fcJcyzF1kLJb3dgqaGMPFf"
    "DdVbizdlZKbCwPYqsk+LAFJfZ6i12uZ2AjLxX80gRaRU2oZFoVkmlF+8oq6FaSVF0vXOf5"
    "xoJ74ysLOU6nJFxnCUtNc5X9M0GoZFxnGU9sWhWhiZHU2WRa0UTdUAa4JMez7K7ueQ+b2T"
    "Fml3a7LwbZZk+EVnQQf8a8tmcYsy8dsRkHceL50TIHsY81dSNW9cETjl/xnB4liEvjHzO4"
    "lf6GUc93GZjm8iZ6PK+IJwkDFTZ7sHGVRvA8IwxNPOc4C04HyvKfBJFGsTzDSAln0/ABHi"
    "YMfrvOlBwgBbVtZ4pDesAlDVTwyItDQrkJVV0GAsf2we5iU2oTEL8poCvybQJ4jC2BNBxv"
    "hP2yxCA67yiYh70GeoMdk+EQv2k4BFJ7RowR5bfy+KXr+Lcj2RgMPdNCjlJ7wIfDz1e4Dp"
    "Pj42MCYzvgyN+Df/5CvpGvv2pdbfHzb38ntjW2vOGw+GBk3NMQcFXO4jiIkD4dqfzxT+qP"
    "V76hbeC0sclQlsvx+bN/XF7/9ayPQTsVyrlTinsEtZePJogo9uZeky1EEGT0+CfUOrvMcN"
    "zcpLLxxyV0TndR80GVs8NZkC0CFKDhECvfybeBhmWASkcOwiMm8hdmkKD3DLQ0zg6zmucj"
    "2pIJNTjsuUhrxbRCaIWL4OIUQkWo4EmVGpTTIG7qF1kaDNwBP8Cd+yidheMwzNNBw1Qc8B"
    "YoDZoCVdIAzoC6ycl0xOTLBzyoJ4gr1c6A+UAPKvQdmwQaMbQQlMB0c2Abw57DXLC45TF7"
    "VkqBrHR/61JtU6mXSr2si+Kj1MvdVC+/+ZR7lpdzarlQ6YiTqCwSOe4ypbI/G5VdZVt4gm"
    "1BnbUo5v5uRt0XnbWoia32lV2PHOdOu2c8Nwti4vlSa20a1NTZvGopcy3MMyipjkl/bvuA"
    "zRVGmcpHoF6C4WWJIPtfYP5AF6x75s5yTbc1tDvg7Dv03579jDbVKZhbpj+xLQPmDLEdES"
    "ZKtKShJz0DOEKDQuE5aEE5vmc4MO0KjKeMebQI7wyns7KGntgaSo2VKrtgDqk6FFBmE5Ts"
    "qcDoqP6mrKKnY+/LUjemvlxyY+rL7I2pdGIVH/Aq5nKKbP8UuvVboNEinuHyMuA7RrQpE3"
    "SrA/pJzs/hBj7Ozd2zNKQ2TqbCaCuE0U7ozHZozkj/Z6/TLoADFiRpa8UyPPI/YltiFyGX"
    "JQxHZiQYnknpk87ek1JYsIF0Sp/dO1AElpzBYKZFY6L0saKudqa1vgSpwoIW5tfPyxM9we"
    "3z8pDQp3YnOAF0yx03e/F82mQotRmvPcdY8dWgxVluYyR74xpdGzxp40myyhnFklT7oNhs"
    "O61YNB1XylmZIFXAVd2Bq8S2H624Kwg+Tasi7+vmDagJRNlkrmWMGjngZPjkaBksSRd1Np"
    "nTqhJMV7i756JEOft6ONDrCxKtZV8vRuVWgC8eC13UblfZwm2XMKkqcDisvofc3QgMB2/0"
    "ctNaFpvMMRJlMlc0mZ90M/vxfxZdP1A="
)
