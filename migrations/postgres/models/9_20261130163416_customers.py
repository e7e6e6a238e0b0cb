from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "payment_method" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "stripe_version" BIGINT,
    "id" UUID NOT NULL PRIMARY KEY,
    "user_id" VARCHAR(255) NOT NULL,
    "stripe_payment_method_id" VARCHAR(255) NOT NULL UNIQUE,
    "type" VARCHAR(64) NOT NULL,
    "brand" VARCHAR(32),
    "last4" VARCHAR(4),
    "exp_month" SMALLINT,
    "exp_year" SMALLINT,
    "wallet" VARCHAR(32),
    "customer_id" UUID NOT NULL REFERENCES "customer" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_payment_met_user_id_66ab7f" ON "payment_method" ("user_id", "created_at");
COMMENT ON TABLE "payment_method" IS 'A payment method saved for a user (attached to their Stripe customer).';
        ALTER TABLE "customer" ADD "default_payment_method" VARCHAR(255);
        ALTER TABLE "customer" ADD "address" JSONB;
        ALTER TABLE "customer" ADD "name" VARCHAR(200);
        ALTER TABLE "customer" ADD "stripe_version" BIGINT;
        ALTER TABLE "payment" ADD "stripe_subscription_id" VARCHAR(255);
        ALTER TABLE "payment" ADD "purpose" VARCHAR(16) NOT NULL DEFAULT 'one_time';
        COMMENT ON COLUMN payment."purpose" IS 'ONE_TIME: one_time\nSUBSCRIPTION: subscription\nCREDIT_PACK: credit_pack';
        CREATE INDEX IF NOT EXISTS "idx_payment_user_id_375a26" ON "payment" ("user_id", "purpose", "created_at");
        UPDATE "payment" SET "purpose" = 'subscription' WHERE "stripe_invoice_id" IS NOT NULL;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_payment_user_id_375a26";
        ALTER TABLE "customer" DROP COLUMN "default_payment_method";
        ALTER TABLE "customer" DROP COLUMN "address";
        ALTER TABLE "customer" DROP COLUMN "name";
        ALTER TABLE "customer" DROP COLUMN "stripe_version";
        ALTER TABLE "payment" DROP COLUMN "stripe_subscription_id";
        ALTER TABLE "payment" DROP COLUMN "purpose";
        DROP TABLE IF EXISTS "payment_method";"""


MODELS_STATE = (
    "eJztXWtz4kiy/SsV/jJ2XI+j2/1cz+6NwFjdw44NvkB3z+4wIcpSYRQWJUaPxsRu//ebWZ"
    "JATyxhHkKuL35IlSXp1CvzZFbWf44mls5M5+zWpPzogvzniNMJgz9i10/JEZ1Ol1fxgkvv"
    "TFFwGpa4c1ybai5cG1HTYXBJZ45mG1PXsLDuowZxmGmiHEGhMzIcPrD5cEgMh7hjRhxRJ9"
    "GoS03rnhg6OR7ZDCqa2mxieJNTcnZ2dvILPky3NHiawe83WO+AD4dY6ZSp35ntwEtDFfhJ"
    "Dw4xXIf0xD1ya1u6p7ln+BoeN/7ymOpa9wweZMPL/PEnXDa4zh6ZE/47fVBHBjP1GL7whl"
    "iDuKG686m42BxT+5Moit94p2qW6U14pPh07o4tvigPr4tX7xlnNnWZHsGeez4kkUv+28IF"
    "1/bY4jX15QWdjahnYguitP8Ky2tHqtru9NWe0lfVo1TrhhKRhgkuaRbHnmFw1xEITOijaj"
    "J+747h3/dvf/jPWQLhl8IHfm10m782usfv357gAy1oC7/PtYM75+LWD1EFtK5ficB9CbRm"
    "M4RGpW4a7yu44xoTlo15XDIBvR6InoV/rNMQ4YVlSyyHzi6aAj5Q73BzHnSBFU3Rb90ovX"
    "7j5hYfN3Gcv0yBX6Ov4J1zcXWeuHr8PtFsi0rIt1b/V4L/kn932oqA13Lce1s8cVmu/+8j"
    "fCfquZbKrZlK9UhvDa+GqEHJZat7U33NVo9LylavSquHGEWaPXj7ZavHp+90y18a9y3uZr"
    "d7WjbR9oBfgdYOOmdlGvseX+Lnv52fv3nz4fzVm/cf37398OHdx1cfoax44fStDyt6xGXr"
    "c6vdjzcwXvgRawfxu8TqFpbfzPK2b8hjC9z5q1cFVjgolbvEiXtxfKNvloK5zx5zunhCbC"
    "20K9a/V01eyu/92LwVQnp80/j9JDZ3XXfan8PikSZoXncuE8jDhGVkw547sURF1ppS1urg"
    "r7Y7oZy/fvvh7cc3798u5pHFlVXTR3qqgKdRU9Xp3CkBaVxIgpoEVfNsm3GtlIURldndPH"
    "zkOeGrbHkiflNgGn6TOwm/SU7BpjEBozAN8D97nXY2wEuJpFJpaC75LzENZ2sd9+jvI49r"
    "CCC58wzTNbhzhs/7321hvwJsRGj1vJycghOKIlaQnJdHYKp5eL9Eg0RlZJNsvEkofNz3DD"
    "Xw0rJMRnl2myyFEi1yB1LbaoqQ/tgt6JedznUM9MtWUgH5cnOpdI9fixaAQoabo28jnVUS"
    "6FBkhzAvrhwszoGNOPUpQNXQyyywmcIb0cErxOedv3tXxNx59y7f3MF7P34gcTp6iDB6eO"
    "GOag8zautq7E5EO7cNLWsNuAzkPv3WZSbNUcYjjPct1nOApuePsM+FV48ySBJtzLQHy3NV"
    "hzlIdTwTr2ZQXc+vra6oOd7dovJnItaLVFUnuHCEWudW3phN35qcT5JXKKf34pPw2fik1K"
    "jMcVIthuxqT5U6XZR70l/V4Wzp9AEpYo0IFS6mnxwSTOOnZDaGpvvObOEjeoA2uYBCOnXG"
    "dxZ8NfEcZqc8VhurecAndE6orpMZYw/mnFg2sTj7Galp4s+GWI+hjQm1GZkYtm3ZTAeN0y"
    "Vc1O1Ypk6OHcbQ/QV91aEmGw5PzkiL+7oYsa2Zgz60OZQlLrwTYY+gp8KnkGBQ3DHbgccS"
    "ygnUNuDiwSBimCYBBdEyoRYXZZlh+y66Ys6zP/wm81dK6GjM/k6FdhJoiX/meteyVuYvX1"
    "pX2Stz5lLseYZ+hjLb8bBF1H/xJPzxdh+6v2/4+qR9VKUXny5day/LySJday+x1aVr7XBc"
    "awKyFPr5VmdYfoeUrs2QS0botoV8zOR8/b6Axfk6OXSWBifeimMcVTWK4hyVqaEb82MBjD"
    "/mQvwxD2EA0OMZ60juVJIW3NlU8nq788jGnD90UhLTpcDuPGnbn5dfoDNtZ7PBhn1p0lOw"
    "ewYbLPR1+eulaO3CUTdGX8dcxZb14E3VkhG/cak6xOrsIDAqwhcVxTkiUsOZejPx1SlnTB"
    "zxNNyfLJsZ9/w3Nhegt+ANKdeyZuvEPoMDAzuPC4fLNp0tiMloJ4Nvhy9m/gTdBbO822rC"
    "LJ3v3tomrZ503mSQ6xn+nXyKPelbKka0N0jUu0LCSkhQyVmKP39KYMAFmz1lXHVMyx0Oyd"
    "gCOMRuEKTNcQ8IyOG/FmehWOS2Q3wNzjXnAz6m0Ll0cozYoRjy5nNiIWmN5PjJhSDo/S5J"
    "REfECpC9JxP6wBwyOKLugE8sxxWPw/fK+YApVCl4/SPxxlAJFHVnFgGEHQIostMBnxkwgq"
    "AwJaalPZAxtDShmm05DlwK3AoaNc0z0sD38zl7E5+O74mAoEvAZAPuU/TifQweisK7s8ep"
    "gW4C/ERG7uYCGc4e3eWbWqMFXHls/h9HeDek73U2mVouKsViTfszxfVHCsNs4XqO5Pclv1"
    "/Vif9AmV7J77/EVpf8/uHw+5FVsKgFExGpoQWzFZM86LGB4rceERIXllRICdwrRT/Vv7dL"
    "f9a2/VmBwZKJr8K9SYoFSXTtUHqHXlq0+kqaI0edW6V9IezFAW92bm6vlb5yQTRrMkVCY8"
    "CV329bXeXqIjQgk4b7fty5nl2q5wfF68i4vi3S7bHYCs71barz+43trGEwxCVraDAcroGQ"
    "tgtDtSdCXK2pOKVrqOFg28ZCbjP4UsdVdeOeORmjLR/6tGQNF/VNJZOJ8oxx1rKMApUWlb"
    "28UC9f8PZl4I4JyV1VBWCWvlLpK5W+0hK+Us9xrYlwbaWdpOG905Xe0WipJ72iyiPcxi09"
    "nC38ghe+0813NQ6HAfM3HBKHua7J0AGITkJyx9wZY5zQlOt0I7UOOJb5ySEjw3Zc4aAMFA"
    "yHHN9Z7hj+pdo49Ciiw9LPxAeokcjCOOCwMp7ivqLQbSn8Ro54uxAt4lrWyXPT7UmHoXQY"
    "SteRdBjKVpcOQ+kw3LTDsO6mUtBfQ41kPdorIS2RL4I8m1CjFHu/EKgf2fLmvEjENJTK33"
    "lxnoqY3mmqzkrDu5WAdFhPYcktlZYsIvKsrGQVA3vX6ceCD1CndD5h3FUnYDNapebt/Bpq"
    "2Pn3m7cphvBzEzj5ld0sWuvAbIb95NeJgZaVYyeJ6oo8O6nxUmQLQCBFfCni0O9MJyPLJt"
    "SPyT+mrku1MUalh6lkQtIoUKxOsjYKbKJa3E7QH4tMOOTeYo4flh8Uc+gcz4fAsHmd+VUV"
    "Tm8TUcQjBIgMe5csVkXnpgPlMySL9RJbXbJYksU6pFG2u/DrmIK2Zhx2Vh2S0yrSCgKeEo"
    "iH5WvYyzcfsXVnU16qPy8E6mfUvzkvxBeuoAtTqSyo474tg+5CoH7oFum6+T031XHZ41Sd"
    "WByqTsHbm1DTzFVDYoI10kDenH94v9A58J9VWkbvpnF9nVYrEJs5o/Y6mIZyEtIYpDPAjZ"
    "UKzVxK1G8S2PwUu9LJmE/2rPYuPov1qQYfugbJsyIUMxqK98xwzGjs32FC+2RIZqJzxcIy"
    "m41es3Gl7Csq88qbmoYGkMey6mcQ2NkFT1cR2XooEtuyUozQxhTv8Rwv2ItMphNQN4nNRp"
    "5IKnPHNAqG7DL1DDWRbJmTMcWSKUJ7M9UOuGXqcNXE/O4WZ2ekyzTL9iVHMAAiuWAwkwzT"
    "YyGiC1yIoWMGesxx4yfFMeGijX9zl9A7zBNjuGQEvRvEoS4k0A3oa/AqIuW9JrLI03voep"
    "Izl5x5GnnJnkrOXLZ6xThzydXugiV8YFNXff6e2yeqka1RrDUiquCzm6RIXZJJL+bPOLi0"
    "G1PG9fJHIxzdKu2rVvvzBQnkB7yr9DrXXzHZRnDEEqjinxqta7wyooZZlewbCX8R5pXh6x"
    "6dmFVH/Tilbbr+fAtxPfhjshL2ghkbfItcLX0qQ4akPOi8EmczVLoXb/hoBoYHBqbR7bPH"
    "PM9JKFAHaFcZbcrv/Zi9lopZX9hs153257B4MpA9OVv4K/kaBnVCdAMW9QG1RbUNaJ83KR"
    "EYv1W+3HCmnmDu0wx5cOt0JSceKfQkCY5B06C0iVQBgWBw1GkQlX0c8MzUNPGU0TApgQaT"
    "9z3LiOfeRIUyi4DkkiWrKLlk2eoV4JJl/HU14q8DLIM1dT1+IC4sGcwi/IA8rLEGhEDlQN"
    "0mI3B4nHt5pI++NbrtVvuz2laUq57aVXq3nXZPuSBgf3FAXuWM6Y4Ky+AUkGcDHpb/0r5S"
    "ulD+a0v5tiyNPJ4Npb8bbLYsC/Z/D8n6sJRmWg6S+MlnJp8Vf0ai7k4bKrT4gEPl/Qtx6t"
    "M6boDNhzWCCuNkLfCrUtaGElXuKpXZ+IAJUNdSn2OCNdSeD1dbThtJCw9YKSIiLrVbQuIw"
    "AoPLcHGp1kg3RYezvgU/CkYQ3y7rOcQGeDqja6z/FUnquolcFkf5WSxWU5yRZn2S4szHaq"
    "MHIkYjXU9J1lmJqwtNPRuGAUuWkkSnJDqruWgfKOUlic6X2OqS6DwcolMGL+8h0UQ1gv6q"
    "pTxLclmSy4c/e2yYXPY7oBrGPpbuujFJGS6Z9vK9AO6+q/zfl1ZX6am3jX/dKO2+eqP0f+"
    "2IOPm/PHHcYDx3EYbSBxLNTvtTq3vT6LeQR1+Uh1YZGfZE5B2NlG40E+Wo5pe47XaaSq/n"
    "x+vbloYHBWPIfu9Ls6koV0j6O56mMaang/YHvNloNxVxJdzbCzU2uv1W4/r6X2pX+YQOAL"
    "g7pbZrUNOcLzo9vlt4NzoQ9s/+R5uoxOSZEKtDSGkc6XeFck6/W5Fz+l0653SE7FlnmEfE"
    "d3kcLWdqaLWWGe1gralonl2QsAYcZ5e9Zrd16w/P6O4qGF1d5arVh7mh+dsFHjekG5jgWX"
    "tYZ5xsbbOMPGNzf0ozTsOezWBxcBx6nzGK8mPfM0TrAPquo+CDOKKMbn9pWSajPGexiIgl"
    "YL8DuW3NXIsru0X+stO5jiF/2UpC++XmUoH5RzQDFDLcHEokmDIM/t0ytDVjv+LC8vzNAh"
    "ONPFv2JZ6gXGnIt3QCar53PblR8plHP3RFJdWxRZ/tSc/YS6pS14XR724EqoZfV50QK7V5"
    "KqV05IMaxnQ8DW1kH9VhTQYrMS0RgBEMw4z4i+UAzQ+/sJdlNhp9kYqviIelyLgIGRdR/W"
    "nvQD3kMi7iJba6jIs4nLgIpwr5YaSHXnropYe+0h76ne/jqdrsvGVP6SoXfd7sewhu+coA"
    "XLUtNNWw+TexiabAxpjSyfWfsTWmGsBuYXPM+rmCIorHkvh7Lt1Vlkms2IS+WdIrhCGX+4"
    "rg9BQFpkYaqcgJur4UuTNM896m0zGhzgPTw1T+I8s+JZo1mRhQ6yLPPxQBcLIOzn1GbXhe"
    "bst1iKET/3AAPDsgEIy4rsgDm58Sx4JHTRn1jwLgJPhockxHeJYAHXDcxAx3nBmDZ1Ki2d"
    "QZ4x9ozFuee4JxUoTjAQThS7szQ2O/kNnYMBnB/a2nxHCdAfe1Z3hv+On45w5A1bMxFcf3"
    "mmzkYjYp108yhaMyL2FUkjx8ejNXvHywZkuiURKNFV2+DpRykkTjS2z1IkSjpFo2S7UE8R"
    "DrpTZOi9aIud0gxJJr2SYVICOw9heBBYP/rhTiSbkakl1bxnudpNJx2RpqPIer4aQV28Pb"
    "3iWST5W0GY86t0r7Qpj1A95o974pXdzw5BME4SaoXrgHyllvC9Tmt3aIxPgAt17q7Pe4VP"
    "2WmM0v6vLEgl3u1ZDelI3RVKlA33KYroq+KANppbZhSO/UdoHdvXcq2cvTrVAyeV7hmP8q"
    "duwn8Y+N6q1nznvqDO3iR2eXPjC7VCj3NhPpSZ+M9MlUdNI+UHZe+mReYqvL4O/DCf6WSf"
    "F2mBSvOsk9Xly4fYCf5jmuNSnd5bOlZe8vlxLSXjvHRFRUol7XE9LL430EdnDjWmRbA7yp"
    "KXKtYXK2r8oFwZxs3xlmUOv11asvCuZNwywOnjhJ5bbRusIzVKbUyMm81mo3Oze310ofJA"
    "2uWZMpGuDR66ry+21LuCCW91X2ODVsP3Ob74uY0nVdEZunyP0dL646ZbZh6Sq0sl3e2Mqp"
    "o4YK+OEq3Gk7K9FsLIuAK9XwQQ2y2avd7GI+Axt5ZcOvTK+VV4VMtVUi1Va4rqzDbsVF5Q"
    "HfVR5vDFOvrtHIUTnZwlVuYaFprrN+xgRlG1e5jXXDEVuFSkftpATrEFqyg8zFC9xAxdBQ"
    "ybRGozTun0yL5pDCeRUk8B9hDYfXAisAv+p8ubxWyG1XabZ6rU47PpjEzbhu0lUa13noB7"
    "n0M8FfRcnnVCB5+XV5+eU8skZei0zh+k1EG85vsUANVmhnDQ0uS16u8lVe5eUuEJmHt2KQ"
    "b/506KlJyzobIyJVZv/3CvGqKFOAL0N3LR1iGlRzYGAXji9ddrLtpj4pGQn5BQ9waOJCLi"
    "IOU5GQsfunqyIhPSypapGiT6by+IYJKSjBEAv8oWNSCkpGjLqezYjB8agTkZgDU2b4bGw6"
    "g8c6lWDiDuiamNBj7qfBENd/cojw74hkHZRwNgtuYNYM/3/bmpFjlKCmac2wSw+4kIECLn"
    "l1QijXoajNoMGxflBI2YyaBJpfd+BVxNMcwBhrgtaw3DG+l+EMwsQeDnPxrUFeY2dkOMRv"
    "Gg5B1JwTbUz5vcgzYlve/VhUBl1PNxBRag74cPjlFpUNcnZ2RqBv+4j8w//1P+Qv8u1Xpa"
    "ss//37P4hpTAx3OMzPABINmvFRFaM46g9LhqLK0NK9hpbKMKedHKCzHAxFUY6On/qhvAVt"
    "7hmOe+mwPyjrNIwaKc7ChRK1Of5yB6RbSo/fo9bZZZplx9WDjNsFdE57WfJJlbPDmZ8WDR"
    "Sg4RALP4ingYalgUpHjoO91OI/TJVGvzPQ0jg7SWuez6hLZI7jsOairBHRCqEW7vjnaxLq"
    "BAqeUKlBOfW3APwirvodd8CPceU+TaabOwkS0tEg5xw8Ba76VYEqqQEyoG5yMhsz8fAB98"
    "s5xBZqpw8+yIMK/cCmvkYMNfhXYLhZsIzhm8NYMLjhMnNeSIEstYdppbYp1UupXlZF8ZHq"
    "5WGql395lLuGm0GF5yodURGZLi3DlSdV9hejskuH0h6WBbltOB/9w9xAmrdtuCK22jd2N7"
    "asB+U745npvmP3V1prM7+kyhZFC5lrPT+htpA6I/2F7QM2V7BhStwC9RIML8Px01z75g+8"
    "gvGd2fNM020D9Q44e4T3N+c/o011AeaW7k1NQ4MxQ0zLCTKCG8LQE54B7KH+Rce10IKyPF"
    "ezYNjlGE8p82i5UykYztIa2rM1lOgrZVbBDFG5v7XIIijgKQF0WH5bVtH+4H1dKDz19Yrw"
    "1Nfp8FQ6NfJzFeSjnBCrn0K3eQs0nMRTKK8iviNC2zJBd9qh9xJyigv4JDPcfeXusKiY3B"
    "FWYkfYlM5Ni2b09H/2Ou0cOmApkrRWDM0l/yWm4Rwi5bICcAQjBngqd2UyTWVCYcEKkrkr"
    "D29vPFhyGoORFvaJwjvku0pTaX31c+L6NQz4bbfTVHr+5nTb0pjjiP3un9sdfzP7PbfEDv"
    "ZPjZbYEz+ihlmVZLrBIUEZjZd/nENEpDau0Y3RkyYmRSidOjcuVQfFZhU3so38ueFwXCs5"
    "e0xUEldVJ65iy344467R8ElZub2kat6AilCUHc+9sx5zGcro7dNVBKUlCpblJ3VrAg0a8o"
    "jDYbTb+syhw9zTIOoiiDe2mUnxL+qSMcW98JkM5UZqHnDDJa6Ftdhzons2fi0JUqvdMZsc"
    "c8s1Rkhawkc5UFSn818IGJm6gVHNGM/swZ8DbsK4sk+eCFcxbDKzwQpwClOayWFuaWIjn5"
    "+7VpKbeyU3q0a01Yr82UMcTcXWvx1QxdHZpKT+kRCtoeJ56PqHJJgqQTBJJb/Og6wiSn47"
    "oqVehX79DG0/s9xKtT+q/6rRkIECh5EH2jmeE46HejOuTy0j0Nb92QUU9bFlBl5/ES5A7i"
    "x9Dvo6KMmnZGRAlyR+34+fTL6xqgd8RPnPYNyIKG7fDrCZCz/9kAQHqib4w1kq9qKKM9IQ"
    "18FI0ExqTJwBFyaGNUNrA2wPcZb5cGha2gMMYI+7hgnvdEwx1t0R8RDiEHOmB9X85PgVYd"
    "wE5g11/P2S/rP9c9CDs9axYhH8jsXzQ8ujrvMQoIyg8iWHDQ92w/PmF4djxCOjDBlTsW+z"
    "Iz+YIh/rFVEU8qQtH5yy1lxcStp0RXYs5mmh+c6FfC30MCHetWvhAN2bt0r7qtX+XNa7GY"
    "hdkOCPAb9Srltf/XNBF38uPZn+b+nJrK8nE2b8KTyGqXmDIBfcPPEaJbHbGNRJpTGF8moT"
    "N0NcWrlVs3JjQytiz5Rt7KSsbOkqt7Qwg9WRbU3KtnNcUnLDlW5muWkqf62sb+xJSAiVJR"
    "LiYpJLWJ3/b0G7pSAunQMwSt0qkWoPE+YncwImOlosL2Cz0Ws2rpR9pQXMbIknyPZoixUk"
    "26N9Z7MnJycoYMnn7jdjiJ2hR6+IcrCzVOfDZMMSIQ6v3n4sEuMAxfKDHMTNDH43w/zP93"
    "0vJXbv+o506TvPMF2DO2f4vH306u3suGCgN5bK9ryUqGGvf31epNNDqXw+8Tzd5Tl+e9nT"
    "vSJSO9y+FU7qB7t7SxpQ+V29XgZUiWiPyGESftCEwTKWoMtA9tNvXWYKta+YARCN3TiwLp"
    "FnAPzYpsreAPy18VGGkh7cWamW02WZyujhub6LTDU8w1YM+vjz9O/K+yny1e419vA/d/9+"
    "1YbiDiKMcVCVQDgoXkN0t5KLAp7osix2Kd+0iYjIsN6SVsxegz1//D+ah58z"
)
